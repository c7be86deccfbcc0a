import { expect, Page, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectAccessible, hydrated, shot } from './helpers';

// The online withdrawal function, from the portal's first page to the acknowledgement, in the
// wording each language version of Directive 2011/83/EU Art. 11a uses.
const languages = [
  { lang: 'en', entry: 'Withdraw from contract here', confirm: 'Confirm withdrawal', number: 'Order number', email: 'Email address', find: 'Find my order', some: 'Only some items', units: 'Units', next: 'Continue', done: 'Your withdrawal has been received', excluded: 'Made to your specifications' },
  { lang: 'fr', entry: 'Se rétracter du contrat ici', confirm: 'Confirmer la rétractation', number: 'Numéro de commande', email: 'Adresse e-mail', find: 'Trouver ma commande', some: 'Seulement certains articles', units: 'Quantité', next: 'Continuer', done: 'Votre rétractation a bien été reçue', excluded: 'Fabriqué selon vos spécifications' },
  { lang: 'nl', entry: 'Hier de overeenkomst herroepen', confirm: 'Herroeping bevestigen', number: 'Bestelnummer', email: 'E-mailadres', find: 'Bestelling zoeken', some: 'Alleen sommige artikelen', units: 'Aantal', next: 'Doorgaan', done: 'Je herroeping is ontvangen', excluded: 'Gemaakt volgens jouw specificaties' },
  { lang: 'de', entry: 'Vertrag hier widerrufen', confirm: 'Widerruf bestätigen', number: 'Bestellnummer', email: 'E-Mail-Adresse', find: 'Bestellung suchen', some: 'Nur einzelne Artikel', units: 'Menge', next: 'Weiter', done: 'Ihr Widerruf ist eingegangen', excluded: 'Nach Ihren Vorgaben angefertigt' },
];

const heading = (page: Page) => page.getByRole('heading', { level: 1 });

/** The raw emails the loopback SMTP server received for Lena, the order's shopper. */
function mailsToLena(): string[] {
  const dir = join(process.env.RETOUR_E2E_MAILDIR!, 'new');
  let names: string[] = [];
  try { names = readdirSync(dir); } catch { return []; }
  return names.map((n) => readFileSync(join(dir, n), 'utf8')).filter((m) => m.includes('To: lena@example.de'));
}

for (const l of languages) {
  test(`withdrawal from the first page to the acknowledgement (${l.lang})`, async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== 'phone', 'the law asks for phone size; each run withdraws a tote bag');
    const mailsBefore = mailsToLena().length;
    await page.goto(`/demo?lang=${l.lang}`);
    await hydrated(page);
    // Reachable from the first page, outside the return wizard.
    await page.getByRole('link', { name: l.entry }).click();
    await expect(page).toHaveURL(new RegExp(`/demo/withdraw\\?lang=${l.lang}`));
    await hydrated(page);
    await expectAccessible(page);

    await page.getByLabel(l.number).fill('1007');
    await page.getByLabel(l.email, { exact: true }).fill('lena@example.de');
    await page.getByRole('button', { name: l.find }).click();
    // The name is prefilled from the order; the law excludes the personalised mug.
    await expect(page.locator('#consumer-name')).toHaveValue('Lena Fischer');
    await expect(page.getByRole('listitem').filter({ hasText: 'Mug with your name' })).toContainText(l.excluded);
    await page.getByLabel(l.some).check();
    await page.getByRole('listitem').filter({ hasText: 'Cotton tote bag' }).getByLabel(l.units).selectOption('1');
    await expectAccessible(page);
    await shot(page, testInfo, `withdrawal-${l.lang}-statement`);
    await page.getByRole('button', { name: l.next }).click();

    // The second step: nothing is sent until the consumer confirms.
    const confirm = page.getByRole('button', { name: l.confirm });
    await expect(confirm).toBeVisible();
    await expectAccessible(page);
    await confirm.dblclick();

    await expect(heading(page)).toHaveText(l.done);
    const reference = (await page.locator('dd.reference').textContent())!.trim();
    expect(reference).toMatch(/^R-/);
    await expect(page.locator('pre.statement')).toContainText('1 × Cotton tote bag');
    await expectAccessible(page);
    await shot(page, testInfo, `withdrawal-${l.lang}-received`);

    // One acknowledgement on a durable medium, even after a double click.
    await expect.poll(() => mailsToLena().length, { timeout: 30_000 }).toBe(mailsBefore + 1);
    await page.waitForTimeout(1_000);
    expect(mailsToLena().length).toBe(mailsBefore + 1);

    // The receipt downloads as a file named after the reference.
    const download = page.waitForEvent('download');
    await page.locator('a[download]').first().click();
    expect((await download).suggestedFilename()).toBe(`withdrawal-${reference}.txt`);
  });
}
