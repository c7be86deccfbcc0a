import { expect, test } from '@playwright/test';
import { expectAccessible, findOrder, hydrated, shot, signIn } from './helpers';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

// Each project imports its own order numbers: the specs share one server.
test('an owner checks a CSV file, corrects it, imports it, and the shopper finds the order', async ({ page, browser }, testInfo) => {
  const number = `E2E-${testInfo.project.name.toUpperCase()}-1`;
  const csv = (price: string) =>
    'order_number;email;customer_name;shipping_country;currency;placed_on;delivered_on;sku;title;variant;quantity;unit_price\n' +
    `${number};zoe@example.fr;Zoé Martin;FR;EUR;${daysAgo(5)};${daysAgo(1)};LIN-DRESS;Robe en lin;38;1;${price}\n` +
    `${number};;;;;;;SILK-SC;Foulard en soie;;2;35,00\n`;
  const file = (price: string) => ({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv(price)) });

  await signIn(page, 'owner@demo.test', 'demo-owner-pass');
  await page.getByRole('link', { name: 'Import orders' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import orders');
  await hydrated(page);
  const report = page.locator('.import-report');
  await expect(page.getByRole('link', { name: 'Download the template' })).toHaveAttribute('href', /^data:text\/csv/);

  // A price a spreadsheet mangled: nothing is imported, and the report names the line.
  await page.getByLabel(/CSV file/).setInputFiles(file('89 euros'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(report.getByRole('alert')).toHaveText(/Nothing was imported: 1 problem to correct/);
  const problem = page.getByRole('row').filter({ hasText: 'is not an amount' });
  await expect(problem.getByRole('cell').first()).toHaveText('2');
  await expect(problem).toContainText(number);
  await expectAccessible(page);
  await shot(page, testInfo, 'office-import-refused');

  // Corrected: checked first, then imported.
  await page.getByLabel(/CSV file/).setInputFiles(file('89,90'));
  await page.getByRole('button', { name: 'Check the file' }).click();
  await expect(report.getByRole('status')).toHaveText('The file is ready: 2 rows, 1 new order and 0 to bring up to date. Nothing has changed yet.');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(report.getByRole('status')).toHaveText('Imported 1 order from 2 rows: 1 new, 0 brought up to date.');
  await expectAccessible(page);
  await shot(page, testInfo, 'office-import-done');

  const shopper = await browser.newPage({ baseURL: testInfo.project.use.baseURL, viewport: page.viewportSize() ?? undefined });
  await shopper.goto('/demo?lang=en');
  await findOrder(shopper, number, 'zoe@example.fr');
  await expect(shopper.getByText('Robe en lin')).toBeVisible();
  await expect(shopper.getByText('Foulard en soie')).toBeVisible();
  await shopper.close();
});
