import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { expectAccessible, hydrated, shot } from './helpers';


/** A shopper's request made through the portal's own endpoints; returns its status page path. */
async function requestReturn(request: APIRequestContext, number: string, email: string, sku: string, reason: string) {
  const found = await request.post('/api/find_order', { form: { shop: 'demo', order_number: number, email } });
  expect(found.ok()).toBeTruthy();
  const order = await found.json();
  const line = order.lines.find((l) => l.sku === sku);
  const submitted = await request.post('/api/submit_return', {
    data: {
      token: order.token,
      idempotency_key: `e2e-office-${sku}-${Date.now()}`,
      answers: { items: [{ line_id: line.id, quantity: 1, reason, comment: '', photo_id: null }], resolution: 'refund', method: 'mail' },
      locale: 'En',
    },
  });
  expect(submitted.ok(), await submitted.text()).toBeTruthy();
  const body = await submitted.json();
  return { reference: body.reference as string, statusPath: body.status_path as string };
}

async function pendingCount(page: Page) {
  return Number(await page.locator('.office-tab .count[data-tab="requests"]').textContent());
}

async function openRequest(page: Page, reference: string, tab = 'requests') {
  await page.goto(`/admin?tab=${tab}`);
  await hydrated(page);
  await page.getByRole('link', { name: reference }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(reference);
  await hydrated(page);
}

test('a merchant works requests from the inbox to the credit note, and the shopper sees each outcome', async ({ page, request }, testInfo) => {
  // One merchant run is enough: the phone project would decide the same requests again.
  test.skip(testInfo.project.name !== 'desktop', 'merchant flow runs once, at desktop size');
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login$/);
  await hydrated(page);
  await page.getByLabel('Email').fill('owner@demo.test');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
  await page.getByLabel('Password').fill('demo-owner-pass');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Returns');
  const before = await pendingCount(page);

  const jeans = await requestReturn(request, '1001', 'camille@example.fr', 'JN-SLM-32', 'too_large');
  const belt = await requestReturn(request, '1005', 'chloe@example.fr', 'BL-LTH-85', 'not_as_described');
  const scarf = await requestReturn(request, '1004', 'emma@example.be', 'SC-CSH-01', 'changed_mind');
  await page.reload();
  await expect.poll(() => pendingCount(page)).toBe(before + 3);
  await expect(page.getByRole('link', { name: jeans.reference })).toBeVisible();
  await expectAccessible(page);
  await shot(page, testInfo, 'office-1-inbox');

  // Approve the jeans with a label.
  await openRequest(page, jeans.reference);
  await expectAccessible(page);
  await shot(page, testInfo, 'office-2-request');
  await page.getByRole('button', { name: /Approve with return label/ }).click();
  await expect(page.locator('h1 .office-status')).toHaveText('Approved');

  // The belt: approved, nothing to send back.
  await openRequest(page, belt.reference);
  await page.getByRole('button', { name: /Approve, nothing to send back/ }).click();
  await expect(page.locator('h1 .office-status')).toHaveText('Approved');

  // The scarf: rejected, which needs an explanation.
  await openRequest(page, scarf.reference);
  await page.getByRole('button', { name: /Reject/ }).click();
  await expect(page.getByRole('alert')).toContainText('Write an explanation for the shopper.');
  await page.getByLabel(/Explanation for the shopper/).fill('Scarves cannot be returned once worn.');
  await page.getByRole('button', { name: /Reject/ }).click();
  await expect(page.locator('h1 .office-status')).toHaveText('Rejected');

  // The jeans' parcel arrives; it is settled by refund with a credit note.
  await openRequest(page, jeans.reference, 'returns');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Record receipt' }).click();
  await expect(page.locator('h1 .office-status')).toHaveText('Received');
  await page.getByLabel('Refund').check();
  await page.getByRole('button', { name: 'Settle and issue credit note' }).click();
  await expect(page.locator('h1 .office-status')).toHaveText('Settled');
  await page.getByRole('link', { name: /^CN-\d{6}$/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Credit note CN-\d{6}/);
  await expect(page.locator('tfoot .total')).toContainText('€79.90');
  await shot(page, testInfo, 'office-3-credit-note');

  await page.goto('/admin?tab=requests');
  await expect.poll(() => pendingCount(page)).toBe(before);

  // What each shopper reads.
  await page.goto(jeans.statusPath + '&lang=en');
  await expect(page.locator('.status-badge')).toHaveText('Completed');
  await expect(page.getByText('Refunded: €79.90')).toBeVisible();
  await page.goto(belt.statusPath + '&lang=en');
  await expect(page.getByText('you do not need to send anything back')).toBeVisible();
  await page.goto(scarf.statusPath + '&lang=fr');
  await expect(page.locator('.status-badge')).toHaveText('Refusé');
  await expect(page.locator('.status-explanation')).toHaveText('Scarves cannot be returned once worn.');
  await shot(page, testInfo, 'office-4-shopper-rejected');
});
