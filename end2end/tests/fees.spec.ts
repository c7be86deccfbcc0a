import { expect, Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectAccessible, findOrder, hydrated, shot, signIn } from './helpers';

const heading = (page: Page) => page.getByRole('heading', { level: 1 });

/** The raw emails the loopback SMTP server (aiosmtpd) received for `to`, newest last. */
function mailsTo(to: string): string[] {
  const dir = join(process.env.RETOUR_E2E_MAILDIR!, 'new');
  let names: string[] = [];
  try { names = readdirSync(dir); } catch { return []; }
  return names.map((n) => readFileSync(join(dir, n), 'utf8')).filter((m) => m.includes(`To: ${to}`));
}

async function mailWith(to: string, ...needles: string[]): Promise<string> {
  let found: string | undefined;
  const matches = (m: string) => needles.every((n) => m.includes(n));
  await expect.poll(() => (found = mailsTo(to).find(matches)) !== undefined, { timeout: 30_000 }).toBe(true);
  return found!;
}

/** The text of the PDF attached to a raw email, read with poppler's pdftotext. */
function attachedPdfText(raw: string, dir: string): string {
  const part = raw.split(/\r?\n--/).find((p) => /Content-Type: application\/pdf/i.test(p));
  expect(part, 'a PDF attachment').toBeTruthy();
  const base64 = part!.split(/\r?\n\r?\n/).slice(1).join('').replace(/\s+/g, '');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'label.pdf');
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', [file, '-']).toString();
}

async function setFee(page: Page, charge: string, amount?: string) {
  await page.goto('/admin/settings');
  await hydrated(page);
  await page.getByLabel('Charge').selectOption({ label: charge });
  if (amount) await page.getByLabel('Amount').fill(amount);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
}

test('a shopper pays the return fee, the rejection refunds it by email, and an approval mails the label', async ({ page, browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'the shop setting it changes is shared: runs once');
  const office = await browser.newPage();
  await signIn(office, 'owner@demo.test', 'demo-owner-pass');
  await setFee(office, 'A fee per request', '4.95');
  try {
    // The shopper returns a cable through the wizard: the fee shows before sending.
    await page.goto('/demo?lang=en');
    await findOrder(page, '1006', 'jan@example.nl');
    await page.getByRole('listitem').filter({ hasText: 'USB-C cable' }).getByLabel('Return this item').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Reason', { exact: true }).selectOption({ label: 'Changed my mind' });
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Refund to my original payment method').check();
    await page.getByLabel('By post or at a parcel drop-off point').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(heading(page)).toHaveText('Check and send your request');
    await expect(page.getByTestId('fee')).toHaveText('€4.95');
    await expectAccessible(page);
    await shot(page, testInfo, 'fee-1-review');
    await page.getByRole('button', { name: 'Send and pay €4.95' }).click();

    // The test checkout: clearly labelled; declining charges nothing, paying comes back.
    await expect(heading(page)).toHaveText('Test payment');
    await expect(page.getByRole('note')).toContainText('no money moves');
    await hydrated(page);
    await expectAccessible(page);
    await shot(page, testInfo, 'fee-2-test-checkout');
    await page.getByTestId('test-decline').click();
    await expect(page.getByRole('alert')).toContainText('nothing was charged');
    await expect(page.locator('.status-fee')).toContainText('To pay');
    await hydrated(page);
    await page.getByTestId('pay-fee').click();
    await expect(heading(page)).toHaveText('Test payment');
    await hydrated(page);
    await page.getByTestId('test-pay').click();
    await expect(page.locator('.status-fee')).toContainText('Paid');
    const reference = (await heading(page).textContent())!.replace('Return ', '').trim();
    await expectAccessible(page);
    await shot(page, testInfo, 'fee-3-status-paid');
    const statusUrl = page.url();

    // The merchant rejects: the fee is refunded and the shopper's email says why.
    await office.goto('/admin?tab=requests');
    await hydrated(office);
    await office.getByRole('link', { name: reference }).click();
    await hydrated(office);
    await office.getByLabel(/Explanation for the shopper/).fill('Opened cables cannot be returned.');
    await office.getByRole('button', { name: /Reject/ }).click();
    await expect(office.locator('h1 .office-status')).toHaveText('Rejected');
    await expect(office.getByText(/Return fee refunded: €4.95/)).toBeVisible();
    await page.goto(statusUrl);
    await expect(page.locator('.status-fee')).toContainText('Refunded');
    const rejection = await mailWith('jan@example.nl', 'Opened cables cannot be returned.');
    expect(rejection).toContain(reference);
    expect(rejection).toMatch(/4[.,]95/);

    // A second cable, paid and approved with a label: its email carries the label PDF.
    await page.goto('/demo?lang=en');
    await hydrated(page);
    const again = page.getByRole('button', { name: 'Return other items' });
    if (await again.isVisible()) await again.click();
    await findOrder(page, '1006', 'jan@example.nl');
    await page.getByRole('listitem').filter({ hasText: 'USB-C cable' }).getByLabel('Return this item').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Reason', { exact: true }).selectOption({ label: 'Changed my mind' });
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Refund to my original payment method').check();
    await page.getByLabel('By post or at a parcel drop-off point').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Send and pay €4.95' }).click();
    await expect(heading(page)).toHaveText('Test payment');
    await hydrated(page);
    await page.getByTestId('test-pay').click();
    await expect(page.locator('.status-fee')).toContainText('Paid');
    const second = (await heading(page).textContent())!.replace('Return ', '').trim();
    await office.goto('/admin?tab=requests');
    await hydrated(office);
    await office.getByRole('link', { name: second }).click();
    await hydrated(office);
    await office.getByRole('button', { name: /Approve with return label/ }).click();
    await expect(office.locator('h1 .office-status')).toHaveText('Approved');
    // The approval, not the "received" email that also names the request.
    const approval = await mailWith('jan@example.nl', second, 'application/pdf');
    expect(attachedPdfText(approval, testInfo.outputDir)).toContain(second);

    // The status page offers the label and a QR code for printer-less drop-off.
    await page.reload();
    await expect(page.getByTestId('download-label')).toBeVisible();
    await expect(page.locator('.drop-off-code svg')).toBeVisible();
    await expectAccessible(page);
    await shot(page, testInfo, 'fee-4-status-label');
    const pdf = await page.request.get(await page.getByTestId('download-label').getAttribute('href') as string);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
  } finally {
    // Later tests expect the demo's free returns.
    await setFee(office, 'Nothing: returns are free');
  }
});
