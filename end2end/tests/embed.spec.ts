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

test('a page from an origin the shop did not allow cannot frame the portal', async ({ request }) => {
  const response = await request.get('/demo');
  expect(response.headers()['content-security-policy']).toBe("frame-ancestors 'self' http://localhost:8080 http://127.0.0.1:8080");
});
