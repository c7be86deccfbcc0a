import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The portal runs on its own port with a fresh database; a second server on another
// origin plays the merchant's site that embeds the portal in an iframe.
const portalPort = 3100;
const hostPort = 8080;
const dataDir = mkdtempSync(join(tmpdir(), 'retour-e2e-'));
const serverBin = process.env.RETOUR_SERVER_BIN ?? '../target/release/server';
// Shopper emails go to a real SMTP server on loopback (aiosmtpd, from PyPI) that writes a
// maildir the tests read. Set once here: workers inherit the runner's environment.
const smtpPort = 2525;
// aiosmtpd makes the maildir's folders only when it makes the maildir itself.
process.env.RETOUR_E2E_MAILDIR ??= join(mkdtempSync(join(tmpdir(), 'retour-e2e-mail-')), 'maildir');
const python = process.env.RETOUR_TEST_PYTHON ?? join(process.env.HOME ?? '', '.cache/retour/venv/bin/python');

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${portalPort}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    { name: 'phone', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
  ],
  webServer: [
    {
      command: `${python} -m aiosmtpd -n -l 127.0.0.1:${smtpPort} -c aiosmtpd.handlers.Mailbox ${process.env.RETOUR_E2E_MAILDIR}`,
      port: smtpPort,
      reuseExistingServer: false,
    },
    {
      command: `${serverBin} --demo`,
      url: `http://127.0.0.1:${portalPort}/healthz`,
      env: {
        RETOUR_ADDR: `127.0.0.1:${portalPort}`,
        RETOUR_DATA_DIR: dataDir,
        // Served over plain http: the session cookie goes without Secure.
        RETOUR_INSECURE_COOKIES: 'true',
        RETOUR_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? '../target/site',
        RUST_LOG: 'warn',
      },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `node host-server.mjs ${hostPort} http://127.0.0.1:${portalPort}`,
      url: `http://127.0.0.1:${hostPort}/`,
      reuseExistingServer: false,
    },
  ],
});
