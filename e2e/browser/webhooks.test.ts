// Browser test of Settings → Webhooks against the real server: a receiver runs in this process.
// The admin adds a webhook (after the server's field error for an ftp URL), copies the secret shown
// once, sends a test ping, and the receiver checks its signature with that secret; the delivery log
// shows it delivered; pausing and deleting (after a confirmation) work; the secret is not on the
// page after a reload; an observer has no Webhooks section. No console errors beyond the 400.
//
// Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`); skipped without it.
// Run: node_modules/.bin/node --test e2e/browser/webhooks.test.ts
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { api, type BrowserSession, openBrowserSession, openSecondPerson, skipWithoutChromium, signIn } from '../support/browser.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'browser-test-Passw0rd-long';

describe('web UI: outgoing webhooks', { skip: skipWithoutChromium }, () => {
  let session: BrowserSession | undefined;
  let receiver: Server | undefined;
  let hookUrl = '';
  const got: { headers: IncomingHttpHeaders; raw: string }[] = [];
  let page: Page;
  let consoleErrors: string[] = [];
  let secret = '';
  const section = () => page.getByRole('region', { name: 'Webhooks', exact: true });

  before(async () => {
    receiver = createServer((request, response) => {
      let raw = '';
      request.on('data', (d) => (raw += d));
      request.on('end', () => {
        got.push({ headers: request.headers, raw });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/vigil`;
    session = await openBrowserSession({ name: 'webhooks', env: { VIGIL_ADMIN_EMAIL: ADMIN_EMAIL, VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    ({ page, consoleErrors } = session);
  });

  after(async () => {
    await session?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  test('add (field error first), secret once, test ping verified by the receiver, delivery log, pause, delete', async () => {
    await signIn(session!, ADMIN_EMAIL, ADMIN_PASSWORD);
    await api(page, 'POST', '/services', { name: 'Checkout' });
    await page.goto('/settings');
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Webhooks' }).waitFor();
    await section().getByText('No webhooks yet.').waitFor();

    const form = section().getByRole('form', { name: 'Add a webhook' });
    await form.getByLabel('URL', { exact: true }).fill('ftp://example.com/hook');
    await form.getByRole('button', { name: 'Add webhook' }).click();
    await form.getByText('must be an http or https URL').waitFor();

    await form.getByLabel('URL', { exact: true }).fill(hookUrl);
    await form.getByLabel('Service').selectOption({ label: 'Checkout' });
    await form.getByLabel('escalated').uncheck();
    await form.getByRole('button', { name: 'Add webhook' }).click();
    const reveal = section().getByRole('region', { name: 'Webhook created' });
    secret = (await reveal.locator('#new-webhook-secret').innerText()).trim();
    assert.match(secret, /^vigil_whsec_\S{43}$/);
    const row = section().getByRole('row', { name: new RegExp(hookUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')) });
    await row.waitFor();
    assert.match(await row.innerText(), /Checkout/);
    assert.doesNotMatch(await row.innerText(), /escalated/);
    await reveal.getByRole('button', { name: 'I have copied it' }).click();
    await reveal.waitFor({ state: 'hidden' });

    await row.getByRole('button', { name: `Send a test ping to ${hookUrl}` }).click();
    await section().getByText('Queued a test ping.').waitFor();
    const deadline = Date.now() + 20_000;
    while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(got.length, 1, 'the ping arrived');
    const [t, v1] = String(got[0]!.headers['x-vigil-signature']).split(',').map((p) => p.split('=')[1]!);
    assert.equal(v1, createHmac('sha256', secret).update(`${t}.${got[0]!.raw}`).digest('hex'), 'signed with the secret the page showed');

    const log = section().getByRole('region', { name: `Deliveries to ${hookUrl}` });
    await log.waitFor();
    for (let i = 0; i < 40 && !/delivered/i.test(await log.innerText()); i++) {
      await log.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(250);
    }
    assert.match(await log.innerText(), /vigil\.ping\s+delivered\s+1\s+204 in \d+ ms/i);

    await row.getByRole('button', { name: `Pause ${hookUrl}` }).click();
    await row.getByText('Paused').waitFor();

    await page.reload();
    await section().getByRole('row', { name: new RegExp('hooks/vigil') }).waitFor();
    assert.ok(!(await page.content()).includes(secret), 'the secret is gone after a reload');

    await section().getByRole('button', { name: `Delete webhook ${hookUrl}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this webhook?' });
    await dialog.getByRole('button', { name: 'Delete webhook' }).click();
    await section().getByText('Deleted the webhook.').waitFor();
    await section().getByText('No webhooks yet.').waitFor();
    assert.deepEqual(consoleErrors.filter((text) => !/status of 400/.test(text)), []);
  });

  test('an observer has no Webhooks section', async () => {
    await api(page, 'POST', '/users', { email: 'olive@example.com', name: 'Olive', role: 'observer', password: 'olive-test-Passw0rd-long' });
    const olive = await openSecondPerson(session!, 'olive@example.com', 'olive-test-Passw0rd-long');
    try {
      await olive.page.goto('/settings');
      await olive.page.getByRole('region', { name: 'API tokens' }).waitFor();
      assert.equal(await olive.page.getByRole('region', { name: 'Webhooks', exact: true }).count(), 0);
      assert.equal(await olive.page.getByRole('link', { name: 'Webhooks' }).count(), 0);
      assert.deepEqual(olive.errors, []);
    } finally {
      await olive.close();
    }
  });
});
