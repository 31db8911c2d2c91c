// Browser test of the web UI against the real server: sign in, create a service, read its
// integration key from the page and compare it with the API, check the phone layout, create an API
// token and change the password in Settings, sign out.
//
// Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`); skipped without it.
// Run: node_modules/.bin/node --test e2e/browser/services.test.ts
// Screenshots land in /tmp/vigil-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type BrowserSession, openBrowserSession, skipWithoutChromium, openLoginPage } from '../support/browser.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'browser-test-Passw0rd-long';
const SERVICE_NAME = 'Checkout API';
const RUNBOOK_URL = 'https://runbooks.example.com/checkout';

const skip = skipWithoutChromium;

describe('web UI: services', { skip }, () => {
  let session: BrowserSession | undefined;
  let baseUrl = '';
  let page: Page;
  let serviceId = '';
  let serviceKey = '';
  let consoleErrors: string[] = [];
  /** Non-API responses that failed (the UI's own files): the first thing to look at when nothing renders. */
  let assetFailures: string[] = [];
  let signedIn = false;
  /** Later steps depend on the session from the first; fail them at once rather than by timeout. */
  const needSignIn = () => assert.ok(signedIn, 'not signed in: the sign-in step failed');

  before(async () => {
    session = await openBrowserSession({ name: 'services', env: { VIGIL_ADMIN_EMAIL: ADMIN_EMAIL, VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD }, viewport: { width: 1280, height: 860 } });
    ({ baseUrl, page, consoleErrors, assetFailures } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('signs in through the login page', async () => {
    await openLoginPage(session!);

    // A wrong password shows the API's error and keeps us on the login page.
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /\S/ });
    await alert.waitFor();
    assert.ok((await alert.innerText()).trim().length > 0);

    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Services' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/services');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    // The header names the signed-in user.
    const me = await page.request.get('/api/v1/me', { headers: { Accept: 'application/json' } });
    assert.equal(me.status(), 200);
    const { user } = (await me.json()) as { user: { name: string; email: string; role: string } };
    assert.equal(user.email, ADMIN_EMAIL);
    assert.equal(user.role, 'admin');
    const banner = await page.getByRole('banner').innerText();
    assert.ok(banner.includes(user.name || user.email), `header shows the user: ${JSON.stringify(banner)}`);
    signedIn = true;
  });

  test('creates a service and shows its integration key', async () => {
    needSignIn();
    await page.getByRole('link', { name: 'New service' }).click();
    await page.getByRole('heading', { level: 1, name: 'New service' }).waitFor();

    // Empty name: the browser's own validation stops the submit; the API is never asked.
    await page.getByLabel('Description').fill('Takes payments for the web shop.');
    await page.getByLabel('Runbook URL').fill(RUNBOOK_URL);
    await page.getByLabel('Name', { exact: true }).fill(SERVICE_NAME);
    await page.getByRole('button', { name: 'Create service' }).click();

    await page.getByRole('heading', { level: 1, name: SERVICE_NAME }).waitFor();
    const match = /^\/services\/([^/]+)$/.exec(new URL(page.url()).pathname);
    assert.ok(match?.[1], `expected to land on the service page, got ${page.url()}`);
    serviceId = decodeURIComponent(match[1]);

    // Open it again from the list, as a user would.
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Services' }).click();
    await page.getByRole('heading', { level: 1, name: 'Services' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: SERVICE_NAME }) });
    assert.equal((await row.getByRole('cell').last().innerText()).trim(), '1', 'the list shows one active key');
    await page.screenshot({ path: '/tmp/vigil-desktop-services.png', fullPage: true });
    await row.getByRole('link', { name: SERVICE_NAME }).click();
    await page.getByRole('heading', { level: 1, name: SERVICE_NAME }).waitFor();

    const runbook = page.getByRole('link', { name: new RegExp(RUNBOOK_URL.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')) });
    assert.equal(await runbook.getAttribute('href'), RUNBOOK_URL);
    assert.equal(await runbook.getAttribute('rel'), 'noopener noreferrer');

    const keyRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'default', exact: true }) });
    serviceKey = (await keyRow.locator('code').innerText()).trim();
    assert.match(serviceKey, /^[a-z0-9]{32}$/);
    await keyRow.getByRole('button', { name: /^Copy/ }).waitFor();
    await page.screenshot({ path: '/tmp/vigil-desktop-service.png', fullPage: true });

    const response = await page.request.get(`/api/v1/services/${encodeURIComponent(serviceId)}`, { headers: { Accept: 'application/json' } });
    assert.equal(response.status(), 200);
    const body = (await response.json()) as { service: { name: string; integrationKeys: { name: string; key: string | null }[] } };
    assert.equal(body.service.name, SERVICE_NAME);
    assert.deepEqual(
      body.service.integrationKeys.map((k) => k.key),
      [serviceKey],
    );
  });

  test('rotating a key asks first, then shows the new key', async () => {
    needSignIn();
    const keyRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'default', exact: true }) });
    await keyRow.getByRole('button', { name: /^Rotate/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await keyRow.locator('code').innerText()).trim(), serviceKey, 'cancel leaves the key alone');

    await keyRow.getByRole('button', { name: /^Rotate/ }).click();
    await dialog.getByRole('button', { name: 'Rotate key', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Rotated key' }).waitFor();
    const rotated = (await keyRow.locator('code').innerText()).trim();
    assert.match(rotated, /^[a-z0-9]{32}$/);
    assert.notEqual(rotated, serviceKey);

    const response = await page.request.get(`/api/v1/services/${encodeURIComponent(serviceId)}`, { headers: { Accept: 'application/json' } });
    const body = (await response.json()) as { service: { integrationKeys: { key: string | null }[] } };
    assert.deepEqual(
      body.service.integrationKeys.map((k) => k.key),
      [rotated],
    );
    serviceKey = rotated;
  });

  test('works at phone width: menu button opens the navigation', async () => {
    needSignIn();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/services');
    await page.getByRole('heading', { level: 1, name: 'Services' }).waitFor();
    await page.getByRole('link', { name: SERVICE_NAME }).waitFor();
    assert.ok(await page.getByRole('link', { name: SERVICE_NAME }).isVisible(), 'the services list is visible');

    const nav = page.getByRole('navigation', { name: 'Primary' });
    const menu = page.getByRole('button', { name: 'Menu' });
    assert.equal(await nav.isVisible(), false, 'navigation is collapsed at phone width');
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling at phone width (page is ${width}px wide)`);
    await page.screenshot({ path: '/tmp/vigil-phone-services.png', fullPage: true });

    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await nav.getByRole('link', { name: 'Settings' }).waitFor();
    await page.screenshot({ path: '/tmp/vigil-phone-menu.png' });

    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    assert.equal(await nav.isVisible(), false, 'the menu closes after choosing a page');
    await page.screenshot({ path: '/tmp/vigil-phone-settings.png', fullPage: true });

    await menu.click();
    await nav.getByRole('link', { name: 'Services' }).click();
    await page.getByRole('link', { name: SERVICE_NAME }).click();
    const keyRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'default', exact: true }) });
    assert.equal((await keyRow.locator('code').innerText()).trim(), serviceKey);
    const detailWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(detailWidth <= 390, `no horizontal scrolling on the service page (page is ${detailWidth}px wide)`);
    await page.screenshot({ path: '/tmp/vigil-phone-service.png', fullPage: true });
  });

  test('creates an API token in Settings: the secret is shown once and works', async () => {
    needSignIn();
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Settings' }).click();
    const tokens = page.getByRole('region', { name: 'API tokens' });
    await tokens.getByLabel('Name', { exact: true }).fill('deploy-bot');
    await tokens.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.locator('#new-token-secret').textContent())?.trim() ?? '';
    assert.match(secret, /^vgl_[a-z0-9]{40}$/);
    await page.screenshot({ path: '/tmp/vigil-desktop-token.png', fullPage: true });
    const me = await fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(me.status, 200, 'the secret from the page authenticates');
    assert.equal((await me.json()).user.email, ADMIN_EMAIL);
    await page.reload();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    assert.equal(await page.locator('#new-token-secret').count(), 0, 'the secret is not shown again');
    assert.ok(!(await page.content()).includes(secret));
  });

  test('changes the password in Settings; the new one signs in', async () => {
    needSignIn();
    const form = page.getByRole('region', { name: 'Change password' });
    await form.getByLabel('Current password').fill(ADMIN_PASSWORD);
    await form.getByLabel('New password', { exact: true }).fill(`${ADMIN_PASSWORD}-2`);
    await form.getByLabel('Confirm new password').fill(`${ADMIN_PASSWORD}-2`);
    await form.getByRole('button', { name: 'Change password' }).click();
    await form.locator('.message-success').waitFor();
    const login = (password: string) =>
      fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password }) });
    assert.equal((await login(`${ADMIN_PASSWORD}-2`)).status, 200);
    assert.equal((await login(ADMIN_PASSWORD)).status, 401);
  });

  test('signs out', async () => {
    needSignIn();
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const me = await page.request.get('/api/v1/me', { headers: { Accept: 'application/json' } });
    assert.equal(me.status(), 401, 'the session is gone on the server too');
    await page.screenshot({ path: '/tmp/vigil-desktop-login.png' });
  });

  test('no errors in the browser console', () => {
    assert.deepEqual(assetFailures, [], 'every file of the UI loaded');
    // A failed sign-in logs the 401 response as a resource error; anything else is a bug.
    const unexpected = consoleErrors.filter((text) => !/status of 401/.test(text));
    assert.deepEqual(unexpected, []);
  });
});
