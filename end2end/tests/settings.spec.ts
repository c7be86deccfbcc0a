import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, shot, signIn } from './helpers';

// Changes only what no other spec reads: the German policy, the accent colour, the font and
// corner radius, and a new reason at the end of the list.
test('an owner changes the settings and the portal follows at once; staff only read them', async ({ browser, page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'the back-office is used at desktop size');
  await signIn(page, 'owner@demo.test', 'demo-owner-pass');
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
  await hydrated(page);
  await expect(page.getByLabel('Shop name', { exact: true })).toHaveValue('Maison Démo');
  await expectAccessible(page);

  // A colour white text cannot be read on is refused, with the reason, and nothing is saved.
  await page.getByLabel(/Accent colour/).fill('#ffeb3b');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('alert')).toHaveText(/too light/);

  await page.getByLabel(/Accent colour/).fill('#7a1f5c');
  // The preview shows the portal's look before anything is saved.
  const previewButton = page.locator('.theme-preview .button');
  await expect(previewButton).toHaveCSS('border-radius', '24px');
  await page.getByLabel('Font').selectOption({ label: 'Serif' });
  await page.getByLabel(/Corner radius/).fill('0');
  await expect(page.locator('.radius-value')).toHaveText('0 px');
  await expect(previewButton).toHaveCSS('border-radius', '0px');
  await expect(previewButton).toHaveCSS('font-family', /^Charter/);
  await page.getByLabel('Return policy (Deutsch)').fill('Rücksendungen innerhalb von 30 Tagen, kostenlos.');
  await page.getByRole('button', { name: 'Add a reason' }).click();
  const added = page.locator('.office-reason').last();
  await added.getByLabel('Code').fill('arrived_late');
  await added.getByLabel('Label (EN)').fill('Arrived too late');
  await added.getByLabel('Label (DE)').fill('Zu spät angekommen');
  await added.getByLabel('Comment required').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await shot(page, testInfo, 'office-5-settings');

  // The portal, already open in a shopper's browser, shows the change on its next load.
  const shopper = await browser.newPage();
  await shopper.goto('/demo?lang=de');
  await expect(shopper.locator('.policy')).toHaveText('Rücksendungen innerhalb von 30 Tagen, kostenlos.');
  await expect(shopper.locator('.portal')).toHaveAttribute('style', /--accent: #7a1f5c/);
  const findButton = shopper.getByRole('button', { name: 'Bestellung suchen' });
  await expect(findButton).toHaveCSS('border-radius', '0px');
  await expect(findButton).toHaveCSS('font-family', /^Charter/);
  await expect(shopper.getByLabel('Bestellnummer', { exact: true })).toHaveCSS('border-radius', '0px');
  await shopper.close();

  // Staff see the same settings, read-only.
  const staffContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const staff = await staffContext.newPage();
  await signIn(staff, 'staff@demo.test', 'demo-staff-pass');
  await staff.goto('/admin/settings');
  await hydrated(staff);
  await expect(staff.getByText("Only the shop's owner can change these settings.")).toBeVisible();
  await expect(staff.getByLabel('Shop name', { exact: true })).toBeDisabled();
  await expect(staff.getByRole('button', { name: 'Save settings' })).toHaveCount(0);
  await expect(staff.locator('.office-reason').last().getByLabel('Code')).toHaveValue('arrived_late');
  await staffContext.close();
});
