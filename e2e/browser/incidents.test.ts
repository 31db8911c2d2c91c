// Browser test of the Incidents area against the real server: a deploy sent as a PagerDuty change
// event, then two PagerDuty triggers that join one incident (time grouping); the list shows the
// incident with both alerts and changes live, its page shows the alerts and the recent change, and
// resolving the alerts through the API turns it resolved on screen (server-sent events, no reload).
// Also: the alert page links to its incident, the empty "Recent changes" state, filters in the URL,
// "Load more", phone width.
//
// Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`); skipped without it.
// Run: node_modules/.bin/node --test e2e/browser/incidents.test.ts
// Screenshots land in /tmp/vigil-incidents-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { api as apiCall, type BrowserSession, createService as createServiceFor, openBrowserSession, postJson, skipWithoutChromium } from '../support/browser.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'browser-test-Passw0rd-long';
const SERVICE_NAME = 'Checkout';
const QUIET_SERVICE = 'Search';
const SUMMARY_1 = 'Checkout error rate above 5%';
const SUMMARY_2 = 'Checkout p99 latency above 2 s';
const CHANGE_SUMMARY = 'Deployed checkout v3.2.1';
const CHANGE_SOURCE = 'ci/deploy-prod';
const RELEASE_URL = 'https://git.example.com/acme/checkout/releases/v3.2.1';
const BAD_LINK = 'javascript:alert(1)';

const skip = skipWithoutChromium;

describe('web UI: incidents', { skip }, () => {
  let session: BrowserSession | undefined;
  let baseUrl = '';
  let page: Page;
  let serviceId = '';
  let serviceKey = '';
  let incidentNumber = 0;
  let incidentId = '';
  const alertIds: string[] = [];
  let consoleErrors: string[] = [];
  let assetFailures: string[] = [];
  let ready = false;
  const needSetup = () => assert.ok(ready, 'setup failed: not signed in, no service or no incident');

  const post = (path: string, body: Record<string, unknown>, expected = 202) => postJson(baseUrl, path, body, expected);

  /** A PagerDuty Events v2 trigger, the way a monitoring tool sends it: no session, just the key. */
  const trigger = (key: string, dedupKey: string, summary: string, severity = 'critical') =>
    post('/v2/enqueue', { routing_key: key, event_action: 'trigger', dedup_key: dedupKey, payload: { summary, source: 'checkout-1', severity } });

  const api = <T>(method: 'GET' | 'POST' | 'PUT', path: string, data?: Record<string, unknown>) => apiCall<T>(page, method, path, data);
  const createService = (name: string) => createServiceFor(page, name);

  const incidentRow = (title: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: title, exact: true }) });
  const meta = () => page.locator('.page-header .alert-meta');
  /** A full-page screenshot from the top (scrolled, the sticky top bar would land mid-page). */
  async function screenshot(options: { path: string; fullPage: true }): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot(options);
  }

  before(async () => {
    session = await openBrowserSession({ name: 'incidents', env: { VIGIL_ADMIN_EMAIL: ADMIN_EMAIL, VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    ({ baseUrl, page, consoleErrors, assetFailures } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('setup: a service that groups by time, a deploy, then two alerts', async () => {
    const login = await page.request.post('/api/v1/auth/login', { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    assert.equal(login.status(), 200, await login.text());
    ({ id: serviceId, key: serviceKey } = await createService(SERVICE_NAME));
    await api('PUT', `/services/${serviceId}/alert-settings`, { grouping: { mode: 'time', windowMinutes: 10 }, urgencyRule: null });

    await post('/v2/change/enqueue', {
      routing_key: serviceKey,
      payload: { summary: CHANGE_SUMMARY, source: CHANGE_SOURCE, timestamp: new Date(Date.now() - 5 * 60_000).toISOString(), custom_details: { commit: '4f1c2a9' } },
      links: [{ href: RELEASE_URL, text: 'Release notes' }],
    });
    await trigger(serviceKey, 'checkout/error-rate', SUMMARY_1);
    await trigger(serviceKey, 'checkout/latency', SUMMARY_2, 'error');

    const { incidents } = await api<{ incidents: { id: string; number: number; alertCount: number }[] }>('GET', `/incidents?serviceId=${serviceId}`);
    assert.equal(incidents.length, 1, 'both alerts joined one incident');
    assert.equal(incidents[0]!.alertCount, 2);
    incidentNumber = incidents[0]!.number;
    incidentId = incidents[0]!.id;
    const { alerts } = await api<{ alerts: { id: string }[] }>('GET', `/alerts?incidentId=${incidentId}`);
    alertIds.push(...alerts.map((a) => a.id));
    assert.equal(alertIds.length, 2);
    ready = true;
  });

  test('the list shows the incident with both alerts, and changes live', async () => {
    needSetup();
    await page.goto('/incidents');
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    const row = incidentRow(SUMMARY_1);
    try {
      await row.waitFor();
    } catch (error) {
      const detail = assetFailures.length ? `the server refused the UI's files: ${assetFailures.join(', ')}` : `console: ${consoleErrors.join(' | ')}`;
      throw new Error(`the incident did not appear; ${detail}`, { cause: error });
    }
    assert.equal(await row.getAttribute('data-incident-number'), String(incidentNumber));
    assert.equal((await row.locator('.cell-count').innerText()).trim(), '2');
    const text = await row.innerText();
    assert.match(text, /Triggered/);
    assert.match(text, /High/);
    assert.match(text, new RegExp(SERVICE_NAME));
    assert.match(await row.locator('time').first().evaluate((el) => el.childNodes[0]?.textContent ?? ''), /just now|minute/);
    assert.equal(await row.getByRole('link', { name: SUMMARY_1 }).getAttribute('href'), `/incidents/${incidentNumber}`);
    await page.getByRole('status').filter({ hasText: 'Showing 1 incident: all that match.' }).waitFor();
    await page.locator('.live-live').waitFor();
    await screenshot({ path: '/tmp/vigil-incidents-list.png', fullPage: true });

    // Acknowledging both alerts (through the API, as another responder would) acknowledges the incident, on screen.
    await page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));
    await api('POST', '/alerts/acknowledge', { ids: alertIds });
    await row.getByRole('cell').filter({ hasText: /^Acknowledged$/ }).waitFor();
    assert.equal(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument), true, 'the page was not reloaded');
  });

  test('the incident page shows its alerts and the recent change; resolving the alerts resolves it live', async () => {
    needSetup();
    // The server accepts only http(s) links; should another kind ever reach the page, it stays text.
    await page.route(`**/api/v1/incidents/${incidentNumber}`, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { recentChanges: { links: { href: string; text?: string }[] }[] };
      body.recentChanges[0]?.links.push({ href: BAD_LINK, text: 'Sneaky link' });
      await route.fulfill({ response, json: body });
    });
    await incidentRow(SUMMARY_1).getByRole('link', { name: SUMMARY_1, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: SUMMARY_1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/incidents/${incidentNumber}`);
    assert.match(await meta().innerText(), new RegExp(`Incident #${incidentNumber}\\s+Acknowledged\\s+High\\s+on ${SERVICE_NAME}`));

    const overview = page.getByRole('region', { name: 'Overview' });
    assert.match(await overview.innerText(), /2 alerts: 2 acknowledged/);

    // Both alerts, in the alert list's look, each linking to its page.
    const alerts = page.getByRole('region', { name: 'Alerts' });
    for (const summary of [SUMMARY_1, SUMMARY_2]) {
      const link = alerts.getByRole('link', { name: summary, exact: true });
      await link.waitFor();
      assert.match((await link.getAttribute('href')) ?? '', /^\/alerts\/\d+$/);
    }
    assert.equal(await alerts.locator('tbody tr').count(), 2);
    assert.match(await alerts.getByRole('row').filter({ hasText: SUMMARY_2 }).innerText(), /Error/);

    // The deploy five minutes before, with its source and only its web link clickable.
    const changes = page.getByRole('region', { name: 'Recent changes' });
    const change = changes.getByRole('listitem').filter({ hasText: CHANGE_SUMMARY });
    await change.waitFor();
    const changeText = await change.innerText();
    assert.match(changeText, /5 minutes before it opened/);
    assert.ok(changeText.includes(CHANGE_SOURCE), changeText);
    const release = change.getByRole('link', { name: /Release notes/ });
    assert.equal(await release.getAttribute('href'), RELEASE_URL);
    assert.equal(await release.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await release.getAttribute('target'), '_blank');
    assert.equal(await change.getByRole('link', { name: /Sneaky link/ }).count(), 0, 'a javascript: link is not a link');
    assert.match(changeText, /Sneaky link \(javascript:alert\(1\)\) — not a web link/);
    await change.getByText('Details').click();
    assert.match(await change.locator('pre').innerText(), /"commit": "4f1c2a9"/);
    await screenshot({ path: '/tmp/vigil-incidents-detail.png', fullPage: true });

    // Resolving both alerts resolves the incident, and the page shows it without a reload.
    await page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));
    await api('POST', '/alerts/resolve', { ids: alertIds });
    await meta().locator('.badge-status-resolved').waitFor();
    await overview.getByText('2 alerts: 2 resolved').waitFor();
    assert.equal(await alerts.locator('.badge-status-resolved').count(), 2);
    await overview.locator('div').filter({ has: page.locator('dt', { hasText: /^Resolved$/ }) }).locator('time').first().waitFor();
    assert.equal(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument), true, 'the page was not reloaded');
    assert.match(await changes.innerText(), /until it was resolved/);
    await page.unroute(`**/api/v1/incidents/${incidentNumber}`);
  });

  test('open or all: the filter lives in the URL', async () => {
    needSetup();
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
    await page.getByRole('heading', { name: 'No open incidents' }).waitFor();
    await page.getByLabel('Status').selectOption('all');
    await page.waitForURL((url) => url.searchParams.get('status') === 'all');
    const row = incidentRow(SUMMARY_1);
    await row.waitFor();
    assert.match(await row.innerText(), /Resolved/);

    await page.goto('/incidents?status=all');
    await row.waitFor();
    assert.equal(await page.getByLabel('Status').inputValue(), 'all');
    await page.getByLabel('Service').selectOption({ label: SERVICE_NAME });
    await page.waitForURL((url) => url.searchParams.get('serviceId') === serviceId);
    await row.waitFor();
    await page.getByRole('link', { name: 'Reset filters' }).click();
    await page.getByRole('heading', { name: 'No open incidents' }).waitFor();
    assert.equal(new URL(page.url()).search, '');
  });

  test('an alert links to its incident; an incident without changes says how to send them', async () => {
    needSetup();
    const quiet = await createService(QUIET_SERVICE);
    await trigger(quiet.key, 'search/index-lag', 'Search index lag above 10 minutes', 'warning');
    await page.goto('/alerts');
    await page.getByRole('link', { name: 'Search index lag above 10 minutes', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Search index lag above 10 minutes' }).waitFor();
    const incidentLink = page.getByRole('region', { name: 'Overview' }).getByRole('link', { name: /^#\d+ Search index lag/ });
    await incidentLink.click();
    await page.getByRole('heading', { level: 1, name: 'Search index lag above 10 minutes' }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/incidents\/\d+$/);
    await page.getByRole('region', { name: 'Alerts' }).getByRole('link', { name: 'Search index lag above 10 minutes' }).waitFor();
    assert.match(await meta().innerText(), /Triggered\s+Low\s+on Search/);

    const changes = page.getByRole('region', { name: 'Recent changes' });
    await changes.getByText(`No changes were recorded for ${QUIET_SERVICE} in that time.`).waitFor();
    assert.match(await changes.innerText(), /PagerDuty change event to POST \/v2\/change\/enqueue/);
    await changes.getByText('Example: curl').click();
    const example = await changes.locator('pre').innerText();
    assert.ok(example.includes(`'${baseUrl}/v2/change/enqueue'`), example);
    assert.ok(example.includes('"routing_key": "YOUR_INTEGRATION_KEY"'), example);
    assert.equal(await changes.getByRole('link', { name: 'service’s integration keys' }).getAttribute('href'), `/services/${quiet.id}#send-alerts`);
    await screenshot({ path: '/tmp/vigil-incidents-no-changes.png', fullPage: true });

    const before = consoleErrors.length;
    await page.goto('/incidents/99999');
    await page.getByRole('heading', { name: 'Incident not found' }).waitFor();
    // The refused request shows up in the console; nothing else may.
    assert.deepEqual(consoleErrors.splice(before).filter((text) => !/status of 404/.test(text)), []);
  });

  test('works at phone width', async () => {
    needSetup();
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto('/incidents?status=all');
      await incidentRow(SUMMARY_1).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no horizontal scrolling on the list at phone width (page is ${width}px wide)`);
      await screenshot({ path: '/tmp/vigil-incidents-phone-list.png', fullPage: true });

      await page.goto(`/incidents/${incidentNumber}`);
      await page.getByRole('region', { name: 'Recent changes' }).getByText(CHANGE_SUMMARY).waitFor();
      const detailWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(detailWidth <= 390, `no horizontal scrolling on the incident page (page is ${detailWidth}px wide)`);
      await screenshot({ path: '/tmp/vigil-incidents-phone-detail.png', fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  // Last but one: its 52 incidents push the others off the first page.
  test('"Load more" pages with before; a live refresh keeps every loaded row', async () => {
    needSetup();
    const fleet = await createService('Fleet');
    for (let i = 0; i < 52; i += 13) {
      await Promise.all(Array.from({ length: 13 }, (_, j) => trigger(fleet.key, `host-${i + j}`, `Host ${i + j} unreachable`, 'warning')));
    }
    await page.goto(`/incidents?serviceId=${fleet.id}`);
    const rows = page.locator('.incidents-table tbody tr');
    await page.getByText('Showing the newest 50 incidents.').waitFor();
    assert.equal(await rows.count(), 50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('Showing 52 incidents: all that match.').waitFor();
    assert.equal(await rows.count(), 52);
    const numbers = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-incident-number'))));
    assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a), 'newest first, no repeats');
    assert.equal(new Set(numbers).size, 52);
    const focused = await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-incident-number'));
    assert.equal(focused, String(numbers[50]), 'focus moves to the first incident loaded');

    // The oldest one, from the second page, gets acknowledged elsewhere: it changes here, nothing loaded is dropped.
    const oldest = rows.nth(51);
    const title = (await oldest.getByRole('link').first().innerText()).trim();
    const { alerts } = await api<{ alerts: { id: string }[] }>('GET', `/incidents/${numbers[51]}`);
    await api('POST', '/alerts/acknowledge', { ids: alerts.map((a) => a.id) });
    await incidentRow(title).getByRole('cell').filter({ hasText: /^Acknowledged$/ }).waitFor();
    assert.equal(await rows.count(), 52);
  });

  test('no errors in the browser console', () => {
    assert.deepEqual(assetFailures, [], 'every file of the UI loaded');
    assert.deepEqual(consoleErrors, []);
  });
});
