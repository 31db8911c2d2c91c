// Browser test of a page's one-click acknowledge link against the real server: a webhook receiver
// in this process is a verified contact method of the admin, whose policy pages them; an alert
// opens an incident, the engine POSTs the page, and the link from it is opened in a browser with
// no session (the token is the credential): the confirmation page changes nothing until its
// button is clicked, then says the incident is acknowledged, and the API agrees. The page's strict
// Content-Security-Policy must not block anything (a blocked style is a console error).
//
// Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`); skipped without it.
// Run: node_modules/.bin/node --test e2e/browser/action-links.test.ts
// Screenshot of the confirmation page: /tmp/vigil-action-link.png.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { api, type BrowserSession, openBrowserSession, postJson, skipWithoutChromium, UI_TIMEOUT_MS } from '../support/browser.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'browser-test-Passw0rd-long';

interface Posted {
  type: string;
  code?: string;
  actions?: { acknowledge: string; resolve: string; expiresAt: string };
  incident?: { number: number };
}

/** A webhook receiver that keeps every JSON body and lets the test wait for one. */
function startReceiver(): Promise<{ server: Server; url: string; next: (matches: (b: Posted) => boolean) => Promise<Posted> }> {
  const bodies: Posted[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      response.writeHead(204).end();
      bodies.push(JSON.parse(text) as Posted);
    });
  });
  const next = async (matches: (b: Posted) => boolean) => {
    const deadline = Date.now() + UI_TIMEOUT_MS;
    for (;;) {
      const found = bodies.find(matches);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching webhook POST; received: ${JSON.stringify(bodies)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pager`, next })));
}

describe('one-click acknowledge link in a browser', { skip: skipWithoutChromium }, () => {
  let session: BrowserSession | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

  before(async () => {
    receiver = await startReceiver();
    session = await openBrowserSession({ name: 'action-links', env: { VIGIL_ADMIN_EMAIL: ADMIN_EMAIL, VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  });
  after(async () => {
    await session?.close();
    await new Promise((r) => receiver?.server.close(r));
  });

  test('opens the link from the page without a session, confirms, and acknowledges on the click', async () => {
    const { page, baseUrl, browser, consoleErrors } = session!;
    const login = await page.request.post('/api/v1/auth/login', { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    assert.equal(login.status(), 200, await login.text());
    const { user: me } = await api<{ user: { id: string } }>(page, 'GET', '/me');
    const { contactMethod } = await api<{ contactMethod: { id: string } }>(page, 'POST', '/users/me/contact-methods', { type: 'webhook', label: 'Pager', address: receiver!.url });
    const code = await receiver!.next((b) => b.type === 'vigil.contact_verification');
    await api(page, 'POST', `/users/me/contact-methods/${contactMethod.id}/verify`, { code: code.code! });
    await api(page, 'POST', '/users/me/notification-rules', { contactMethodId: contactMethod.id, urgency: 'high', delayMinutes: 0 });
    const { service } = await api<{ service: { id: string; integrationKeys: { key: string }[] } }>(page, 'POST', '/services', { name: 'Checkout' });
    const { policy } = await api<{ policy: { id: string } }>(page, 'POST', '/escalation-policies', { name: 'Checkout', levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: me.id }] }] });
    await api(page, 'PUT', `/services/${service.id}/escalation-policy`, { policyId: policy.id });

    await postJson(baseUrl, '/v2/enqueue', { routing_key: service.integrationKeys[0]!.key, event_action: 'trigger', dedup_key: 'cart', payload: { summary: 'Cart <b>500</b>', source: 'checkout-1', severity: 'critical' } });
    const paged = await receiver!.next((b) => b.type === 'vigil.page');
    const number = paged.incident!.number;
    // The server listens on a port picked at start: keep the link's path, use the real address.
    const link = `${baseUrl}${new URL(paged.actions!.acknowledge).pathname}`;

    const stranger = await browser.newContext();
    try {
      const linkPage = await stranger.newPage();
      linkPage.setDefaultTimeout(UI_TIMEOUT_MS);
      const errors: string[] = [];
      linkPage.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      linkPage.on('pageerror', (e) => errors.push(String(e)));
      await linkPage.goto(link);
      await linkPage.getByRole('heading', { level: 1, name: `Acknowledge incident #${number} Cart <b>500</b> on Checkout?` }).waitFor();
      await linkPage.getByText('Status now: triggered').waitFor();
      await linkPage.screenshot({ path: '/tmp/vigil-action-link.png', fullPage: true });
      const before = await api<{ incident: { status: string } }>(page, 'GET', `/incidents/${number}`);
      assert.equal(before.incident.status, 'triggered', 'opening the link changes nothing');

      await linkPage.getByRole('button', { name: `Acknowledge #${number}` }).click();
      await linkPage.getByRole('heading', { level: 1, name: `Incident #${number} Cart <b>500</b> on Checkout acknowledged` }).waitFor();
      await linkPage.getByText('nobody else is paged').waitFor();
      const afterwards = await api<{ incident: { status: string } }>(page, 'GET', `/incidents/${number}`);
      assert.equal(afterwards.incident.status, 'acknowledged');

      // Back and submit again: the same link says there is nothing left to do.
      await linkPage.goto(link);
      await linkPage.getByRole('heading', { level: 1, name: `Incident #${number} Cart <b>500</b> on Checkout is already acknowledged` }).waitFor();
      assert.deepEqual(errors, [], 'no console errors (a style blocked by the CSP would be one)');
    } finally {
      await stranger.close();
    }
    assert.deepEqual(consoleErrors, []);
  });
});
