import { expect, Page, TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';

export const testdata = (relative: string) =>
  join(process.env.RETOUR_TESTDATA ?? join(__dirname, '../../../shared/testdata'), relative);

/** No serious or critical accessibility violation on the page as it is now. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const grave = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(grave.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

export async function shot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: join(__dirname, '..', 'screenshots', `${testInfo.project.name}-${name}.png`), fullPage: true });
}

/** Waits until the WASM has hydrated the page, so clicks reach Rust handlers. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as any).__retourHydrated === true, undefined, { timeout: 20_000 });
}

export async function findOrder(page: Page, number: string, email: string) {
  await hydrated(page);
  await page.getByLabel('Order number').fill(number);
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Find my order' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Which items are you returning?');
}

/** Signs in to the back-office and waits for the inbox. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/admin/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Returns');
}
