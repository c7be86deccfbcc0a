import { expect, test } from '@playwright/test';

test('the portal works inside a merchant page on another origin', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'once is enough');
  await page.goto('http://127.0.0.1:8080/');
  const frame = page.frameLocator('#retour');
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Find your order');
  // The portal reported its height and the host resized the iframe.
  await expect.poll(() => page.evaluate(() => (window as any).retourMessages.filter((m) => m.type === 'retour:resize').length)).toBeGreaterThan(0);
  const height = await page.locator('#retour').evaluate((el) => parseInt((el as HTMLElement).style.height, 10));
  expect(height).toBeGreaterThan(300);

  // No cookie is needed: the order token travels with each call.
  await frame.getByLabel('Order number').fill('1004');
  await frame.getByLabel('Email address').fill('emma@example.be');
  await frame.getByRole('button', { name: 'Find my order' }).click();
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Which items are you returning?');
  await expect(frame.getByRole('listitem').filter({ hasText: 'Merino sweater' })).toContainText('Ordered: 2');
  await expect.poll(() => page.evaluate(() => (window as any).retourMessages.some((m) => m.type === 'retour:step' && m.step === 'items'))).toBe(true);
  await page.screenshot({ path: `screenshots/${testInfo.project.name}-embedded.png`, fullPage: true });
});

test('inside the iframe the withdrawal function opens in the frame and reports its height', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'once is enough');
  await page.goto('http://127.0.0.1:8080/');
  const frame = page.frameLocator('#retour');
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Find your order');
  const resizes = () => page.evaluate(() => (window as any).retourMessages.filter((m) => m.type === 'retour:resize').length);
  await expect.poll(resizes).toBeGreaterThan(0);
  const before = await resizes();
  await frame.getByRole('link', { name: 'Withdraw from contract here' }).click();
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Withdraw from your purchase');
  // The embedded layout is kept, and the new page reports its own height.
  await expect(frame.locator('.portal.embed')).toBeVisible();
  await expect.poll(resizes).toBeGreaterThan(before);
});

test('a return completed inside the iframe tells the host page it was submitted', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'once is enough');
  await page.goto('http://127.0.0.1:8080/');
  const frame = page.frameLocator('#retour');
  const heading = frame.getByRole('heading', { level: 1 });
  await expect(heading).toHaveText('Find your order');
  // The first height report comes from the hydrated portal: clicks now reach it.
  await expect.poll(() => page.evaluate(() => (window as any).retourMessages.some((m) => m.type === 'retour:resize'))).toBe(true);
  await frame.getByLabel('Order number').fill('1004');
  await frame.getByLabel('Email address').fill('emma@example.be');
  await frame.getByRole('button', { name: 'Find my order' }).click();
  await expect(heading).toHaveText('Which items are you returning?');
  await frame.getByRole('listitem').filter({ hasText: 'Merino sweater' }).getByLabel('Return this item').check();
  await frame.getByRole('button', { name: 'Continue' }).click();
  await expect(heading).toHaveText('Why are you returning them?');
  await frame.getByLabel('Reason', { exact: true }).selectOption({ label: 'Changed my mind' });
  await frame.getByRole('button', { name: 'Continue' }).click();
  // No photo is needed for this reason: the photo step may be passed as it is.
  await expect(heading).not.toHaveText('Why are you returning them?');
  if ((await heading.textContent()) === 'Add a photo of each item') {
    await frame.getByRole('button', { name: 'Continue' }).click();
  }
  await expect(heading).toHaveText('What would you like?');
  await frame.getByLabel('Refund to my original payment method').check();
  await frame.getByLabel('By post or at a parcel drop-off point').check();
  await frame.getByRole('button', { name: 'Continue' }).click();
  await expect(heading).toHaveText('Check and send your request');
  await frame.getByRole('button', { name: 'Send my return request' }).click();
  await expect(heading).toHaveText('Your return request has been sent');
  const reference = (await frame.getByTestId('reference').textContent())!.trim();
  // The host page heard each step and the submission, with the reference.
  const messages = () => page.evaluate(() => (window as any).retourMessages);
  await expect.poll(async () => (await messages()).some((m) => m.type === 'retour:submitted' && m.reference === reference)).toBe(true);
  const steps = (await messages()).filter((m) => m.type === 'retour:step').map((m) => m.step);
  expect(steps).toEqual(expect.arrayContaining(['items', 'reasons', 'outcome', 'review']));
  // embed.js sized the frame to the confirmation.
  const height = await page.locator('#retour').evaluate((el) => parseInt((el as HTMLElement).style.height, 10));
  expect(height).toBeGreaterThan(300);
  await page.screenshot({ path: `screenshots/${testInfo.project.name}-embedded-submitted.png`, fullPage: true });
});

test('a deep link fills in the order number and email', async ({ page }) => {
  await page.goto('/demo?lang=en&order=1001&email=camille%40example.fr');
  await page.waitForFunction(() => (window as any).__retourHydrated === true);
  await expect(page.getByLabel('Order number')).toHaveValue('1001');
  await expect(page.getByLabel('Email address')).toHaveValue('camille@example.fr');
});

test('a page from an origin the shop did not allow cannot frame the portal', async ({ request }) => {
  const response = await request.get('/demo');
  expect(response.headers()['content-security-policy']).toBe("frame-ancestors 'self' http://localhost:8080 http://127.0.0.1:8080");
});
