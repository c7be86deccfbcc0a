import { expect, test } from '@playwright/test';
import { expectAccessible, findOrder, hydrated, shot, testdata } from './helpers';

const heading = (page) => page.getByRole('heading', { level: 1 });

// Each viewport returns items of its own order, so the two runs never compete for units.
const orders = {
  phone: { number: '#1001', email: 'Camille@Example.fr', item: 'Organic cotton T-shirt', quantity: 2 },
  desktop: { number: '1006', email: 'jan@example.nl', item: 'Wireless headphones', quantity: 1 },
};

test('a shopper returns an item with a photo, from the first step to the status page', async ({ page }, testInfo) => {
  const order = orders[testInfo.project.name];
  await page.goto('/demo?lang=en');
  await expect(heading(page)).toHaveText('Find your order');
  await expectAccessible(page);
  await shot(page, testInfo, '1-find');

  await findOrder(page, order.number, order.email);
  await expectAccessible(page);
  await page.getByRole('listitem').filter({ hasText: order.item }).getByLabel('Return this item').check();
  if (order.quantity > 1) {
    await page.getByLabel('Quantity to return').selectOption(String(order.quantity));
  }
  await shot(page, testInfo, '2-items');
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(heading(page)).toHaveText('Why are you returning them?');
  await expect(heading(page)).toBeFocused();
  await page.getByLabel('Reason', { exact: true }).selectOption({ label: 'Damaged item' });
  await page.getByLabel(/Comment/).fill('The seam is torn.');
  await expectAccessible(page);
  await shot(page, testInfo, '3-reasons');
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(heading(page)).toHaveText('Add a photo of each item');
  // "Damaged" needs a photo: continuing without one is refused, and says so.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert').first()).toContainText('Please add a photo of this item.');
  await page.locator('input[type=file]').first().setInputFiles(testdata('images/camera_exif/Xiaomi_Mi_9T_KeyError.jpg'));
  await expect(page.getByText('Photo added')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('img.photo-preview')).toBeVisible();
  await expectAccessible(page);
  await shot(page, testInfo, '4-photos');
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(heading(page)).toHaveText('What would you like?');
  await page.getByLabel('Exchange for another size or colour').check();
  await page.getByLabel('By post or at a parcel drop-off point').check();
  await expectAccessible(page);
  await shot(page, testInfo, '5-outcome');
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(heading(page)).toHaveText('Check and send your request');
  await expect(page.getByText(`${order.quantity} × ${order.item}`)).toBeVisible();
  await expect(page.getByText('Damaged item')).toBeVisible();
  await expect(page.locator('img.review-thumb')).toBeVisible();
  await expectAccessible(page);
  await shot(page, testInfo, '6-review');
  // A double click sends one request.
  await page.getByRole('button', { name: 'Send my return request' }).dblclick();

  await expect(heading(page)).toHaveText('Your return request has been sent');
  const reference = (await page.getByTestId('reference').textContent())!.trim();
  expect(reference).toMatch(/^R-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  await expectAccessible(page);
  await shot(page, testInfo, '7-done');

  await page.getByRole('link', { name: 'Follow my return' }).click();
  await expect(heading(page)).toHaveText(`Return ${reference}`);
  await expect(page.getByText('Requested: the shop will review it').first()).toBeVisible();
  await expectAccessible(page);
  await shot(page, testInfo, '8-status');

  // The item is now shown as already returned.
  await page.goto('/demo?lang=en');
  await hydrated(page);
  await page.getByRole('button', { name: 'Return other items' }).click();
  await findOrder(page, order.number, order.email);
  await expect(page.getByRole('listitem').filter({ hasText: order.item })).toContainText('Already returned.');
});

test('a refused photo says why and keeps every other answer', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'once is enough');
  await page.goto('/demo?lang=fr');
  await hydrated(page);
  await page.getByLabel('Numéro de commande').fill('1005');
  await page.getByLabel('Adresse e-mail').fill('chloe@example.fr');
  await page.getByRole('button', { name: 'Trouver ma commande' }).click();
  await page.getByRole('listitem').filter({ hasText: 'Linen dress' }).getByLabel('Retourner cet article').check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Motif', { exact: true }).selectOption({ label: 'Mauvais article envoyé' });
  await page.getByRole('button', { name: 'Continuer' }).click();

  // A PDF renamed .jpg passes the browser's quick look (it claims to be a JPEG): the server refuses it.
  await page.locator('input[type=file]').setInputFiles({
    name: 'photo.jpg', mimeType: 'image/jpeg', buffer: require('node:fs').readFileSync(testdata('images/not_images/notimage_pdf_renamed.jpg')),
  });
  await expect(page.getByRole('alert').filter({ hasText: "Ce type de fichier n'est pas pris en charge" })).toBeVisible();
  // HEIC is caught before uploading, with its own advice.
  await page.locator('input[type=file]').setInputFiles(testdata('images/modern_formats/iphone_13_pro_max.HEIC'));
  await expect(page.getByRole('alert').filter({ hasText: 'HEIC' })).toBeVisible();
  await expectAccessible(page);
  await shot(page, testInfo, 'refused-photo');

  // Nothing else was lost.
  await page.getByRole('button', { name: 'Retour', exact: true }).click();
  await expect(page.getByLabel('Motif', { exact: true })).toHaveValue('wrong_item');
});

test('a reload and the back button keep the answers', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'once is enough');
  await page.goto('/demo?lang=nl');
  await hydrated(page);
  await page.getByLabel('Bestelnummer').fill('1002');
  await page.getByLabel('E-mailadres').fill('sanne@example.nl');
  await page.getByRole('button', { name: 'Bestelling zoeken' }).click();
  const socks = page.getByRole('listitem').filter({ hasText: 'Wool socks' });
  await expect(socks).toContainText('Definitieve verkoop');
  await expect(socks.getByRole('checkbox')).toHaveCount(0);
  await page.getByRole('listitem').filter({ hasText: 'Raincoat' }).getByLabel('Dit artikel retourneren').check();
  await page.getByRole('button', { name: 'Doorgaan' }).click();
  await page.getByLabel('Reden', { exact: true }).selectOption('other');
  await page.getByLabel(/Opmerking/).fill('Kleur valt tegen');

  await page.reload();
  await hydrated(page);
  await expect(heading(page)).toHaveText('Waarom stuur je ze terug?');
  await expect(page.getByLabel('Reden', { exact: true })).toHaveValue('other');
  await expect(page.getByLabel(/Opmerking/)).toHaveValue('Kleur valt tegen');

  await page.goBack();
  await expect(heading(page)).toHaveText('Welke artikelen stuur je terug?');
  await expect(page.getByRole('listitem').filter({ hasText: 'Raincoat' }).getByRole('checkbox')).toBeChecked();
  await page.goForward();
  await expect(page.getByLabel('Reden', { exact: true })).toHaveValue('other');
});

test('a wrong order number and email get one message that reveals nothing', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'once is enough');
  await page.goto('/demo?lang=de');
  await hydrated(page);
  await page.getByLabel('Bestellnummer').fill('1001');
  await page.getByLabel('E-Mail-Adresse').fill('someone@example.de');
  await page.getByRole('button', { name: 'Bestellung suchen' }).click();
  await expect(page.getByRole('alert')).toContainText('Wir haben keine Bestellung mit dieser Nummer und E-Mail-Adresse gefunden.');
  await expectAccessible(page);
});
