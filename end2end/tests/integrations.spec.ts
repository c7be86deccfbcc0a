import { expect, test } from '@playwright/test';
import { expectAccessible, hydrated, shot, signIn } from './helpers';

const heading = (page) => page.getByRole('heading', { level: 1 });

test('an owner makes an API key, sees it once, uses it and revokes it', async ({ page, request }, testInfo) => {
  await signIn(page, 'owner@demo.test', 'demo-owner-pass');
  await page.getByRole('link', { name: 'API keys' }).click();
  await expect(heading(page)).toHaveText('API keys');
  await hydrated(page);
  const name = `Shop sync ${testInfo.project.name}`;
  await page.getByLabel('Name (what uses it)').fill(name);
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByText('Copy this key now: it will not be shown again.')).toBeVisible();
  const key = await page.getByLabel(`Key “${name}”`).inputValue();
  expect(key).toMatch(/^rtk_[0-9A-Z]{26}_[0-9a-f]{64}$/);
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('never');
  await expectAccessible(page);
  await shot(page, testInfo, 'office-api-keys');

  const used = await request.get('/api/v1/returns', { headers: { authorization: `Bearer ${key}` } });
  expect(used.status()).toBe(200);
  await page.reload();
  await expect(page.getByRole('row').filter({ hasText: name })).not.toContainText('never');

  page.once('dialog', (dialog) => dialog.accept());
  await hydrated(page);
  await page.getByRole('button', { name: `Revoke key ${name}` }).click();
  await expect(page.getByRole('row').filter({ hasText: name })).toContainText('Revoked');
  const refused = await request.get('/api/v1/returns', { headers: { authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(401);
});

test('an owner adds a webhook endpoint and reads the embedding snippet', async ({ page }, testInfo) => {
  await signIn(page, 'owner@demo.test', 'demo-owner-pass');
  await page.goto('/admin/webhooks');
  await expect(heading(page)).toHaveText('Webhooks');
  await hydrated(page);
  const url = `https://hooks.example/${testInfo.project.name}`;
  await page.getByLabel('Address').fill(url);
  // Without an event, the form says what is missing.
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose at least one event.');
  await page.getByLabel('return.created').check();
  await page.getByLabel('return.settled').check();
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const endpoint = page.getByRole('listitem').filter({ hasText: url });
  await expect(endpoint).toContainText('return.created, return.settled');
  await expect(endpoint.getByLabel('Signing secret (Standard Webhooks)')).toHaveValue(/^whsec_/);
  await expectAccessible(page);
  await shot(page, testInfo, 'office-webhooks');

  await page.getByRole('link', { name: 'Embed' }).click();
  await expect(heading(page)).toHaveText('Put the portal on your site');
  await hydrated(page);
  await page.getByLabel('Language').selectOption('fr');
  const snippet = await page.getByLabel('Snippet').inputValue();
  expect(snippet).toContain('/demo?embed=1&lang=fr');
  expect(snippet).toContain('/embed.js');
  await expect(page.getByText('Sites allowed to frame it: http://localhost:8080, http://127.0.0.1:8080.')).toBeVisible();
  await expectAccessible(page);
  await shot(page, testInfo, 'office-embed');
});
