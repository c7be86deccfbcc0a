import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, shot, signIn } from './helpers';

// Other specs return French orders: the rule added here is deleted and saved away again.
test('an owner adds a rule, reads it in words, saves it and takes it away; staff only read', async ({ browser, page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'the back-office is used at desktop size');
  await signIn(page, 'owner@demo.test', 'demo-owner-pass');
  await page.getByRole('link', { name: 'Return rules' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Return rules');
  await hydrated(page);
  const before = await page.locator('.office-rules-item').count();

  await page.getByRole('button', { name: 'Add a rule' }).click();
  await page.getByLabel('Name', { exact: true }).fill('No returns from France');
  await page.getByLabel('Field (condition 1)').selectOption('country');
  await page.getByLabel(/Country codes \(condition 1\)/).fill('FR');
  await page.getByLabel(/Refuse the item/).check();
  await expect(page.locator('.office-rules-form .office-rules-preview')).toContainText('IF origin country IS France THEN refuse');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Add the rule' }).click();

  const added = page.locator('.office-rules-item').last();
  await expect(page.locator('.office-rules-item')).toHaveCount(before + 1);
  await expect(added.getByRole('heading')).toContainText('No returns from France');
  await expect(added.locator('.office-rules-preview')).toContainText('IF origin country IS France THEN refuse');
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');

  await page.getByRole('button', { name: 'Dry run', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'What the rules would do' }).or(page.getByText('No requests yet.'))).toBeVisible();
  await shot(page, testInfo, 'office-6-rules');

  // A shopper of a French order learns at the first step, before any photo, that the
  // item cannot go back, and stays on that step.
  const shopperContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const shopper = await shopperContext.newPage();
  await shopper.goto('/demo?lang=fr');
  await hydrated(shopper);
  await shopper.getByLabel('Numéro de commande').fill('1001');
  await shopper.getByLabel('Adresse e-mail').fill('camille@example.fr');
  await shopper.getByRole('button', { name: 'Trouver ma commande' }).click();
  const itemsHeading = shopper.getByRole('heading', { level: 1 });
  await expect(itemsHeading).toHaveText('Quels articles retournez-vous ?');
  await shopper.getByRole('listitem').filter({ hasText: 'Running sneakers' }).getByLabel('Retourner cet article').check();
  await shopper.getByRole('button', { name: 'Continuer' }).click();
  await expect(shopper.getByRole('alert').first()).toContainText("Impossible de retourner l'article");
  await expect(itemsHeading).toHaveText('Quels articles retournez-vous ?');
  await shot(shopper, testInfo, 'wizard-rule-refusal');
  await shopperContext.close();

  // Staff see the rule, read-only.
  const staffContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const staff = await staffContext.newPage();
  await signIn(staff, 'staff@demo.test', 'demo-staff-pass');
  await staff.goto('/admin/rules');
  await hydrated(staff);
  await expect(staff.getByText("Only the shop's owner can change return rules.")).toBeVisible();
  await expect(staff.getByText('No returns from France')).toBeVisible();
  await expect(staff.getByRole('button', { name: 'Save rules' })).toHaveCount(0);
  await staffContext.close();

  await added.getByRole('button', { name: /^Delete/ }).click();
  await expect(page.locator('.office-rules-item')).toHaveCount(before);
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await hydrated(page);
  await expect(page.getByText('No returns from France')).toHaveCount(0);
});
