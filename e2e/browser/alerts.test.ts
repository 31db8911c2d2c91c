// Browser test of the Alerts area against the real server: PagerDuty events posted with fetch show
// up in the list, a repeat counts up live (server-sent events, no reload), acknowledging on the
// detail page adds to its log, bulk resolve from the list, filters live in the URL, the service
// page shows copy-paste endpoints with the real key (a placeholder for observers), phone width.
//
// Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`); skipped without it.
// Run: node_modules/.bin/node --test e2e/browser/alerts.test.ts
// Screenshots land in /tmp/vigil-alerts-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { api, type BrowserSession, openBrowserSession, postJson, skipWithoutChromium, openSecondPerson } from '../support/browser.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'browser-test-Passw0rd-long';
const OBSERVER_EMAIL = 'observer@example.com';
const OBSERVER_PASSWORD = 'observer-test-Passw0rd-long';
const SERVICE_NAME = 'Payments API';
/** Markup in a summary must come out as text. */
const SUMMARY_A = 'Disk <b>95%</b> full on db-1 <img src=x onerror="window.__xss=1">';
const DETAILS_A = { disk: '/var', used_percent: 95, mounts: { data: '/dev/sdb1' } };
const SUMMARY_D = 'Nightly ETL is late';
const DASHBOARD_URL = 'https://grafana.example.com/d/disk?var-host=db-1';
const SUMMARY_B = 'Queue backlog on worker-7';
const SUMMARY_C = 'TLS certificate expires soon';

const skip = skipWithoutChromium;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('web UI: alerts', { skip }, () => {
  let session: BrowserSession | undefined;
  let baseUrl = '';
  let page: Page;
  let adminName = '';
  let serviceId = '';
  let serviceKey = '';
  const numbers: Record<string, number> = {};
  let consoleErrors: string[] = [];
  let assetFailures: string[] = [];
  let ready = false;
  const needSetup = () => assert.ok(ready, 'setup failed: not signed in or no service');

  /** Posts a PagerDuty Events v2 event the way a monitoring tool would: no session, just the key. */
  async function pagerDuty(body: Record<string, unknown>, routingKey = serviceKey): Promise<string> {
    const answer = (await postJson(baseUrl, '/v2/enqueue', { routing_key: routingKey, ...body })) as { status: string; dedup_key: string };
    return answer.dedup_key;
  }

  const trigger = (dedupKey: string, summary: string, extra: Record<string, unknown> = {}) =>
    pagerDuty({ event_action: 'trigger', dedup_key: dedupKey, payload: { summary, source: 'db-1', severity: 'critical', ...extra } });

  const triggerA = () =>
    pagerDuty({
      event_action: 'trigger',
      dedup_key: 'disk-full/db-1',
      payload: { summary: SUMMARY_A, source: 'db-1', severity: 'critical', custom_details: DETAILS_A },
      links: [{ href: DASHBOARD_URL, text: 'Disk dashboard' }],
    });

  const apiGet = <T>(path: string): Promise<T> => api<T>(page, 'GET', path);

  const alertRow = (summary: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: summary, exact: true }) });

  before(async () => {
    session = await openBrowserSession({ name: 'alerts', env: { VIGIL_ADMIN_EMAIL: ADMIN_EMAIL, VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    ({ baseUrl, page, consoleErrors, assetFailures } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('setup: sign in and create a service through the API', async () => {
    const login = await page.request.post('/api/v1/auth/login', { data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    assert.equal(login.status(), 200, await login.text());
    adminName = ((await login.json()) as { user: { name: string; email: string } }).user.name || ADMIN_EMAIL;
    const created = await page.request.post('/api/v1/services', { data: { name: SERVICE_NAME } });
    assert.equal(created.status(), 201, await created.text());
    const { service } = (await created.json()) as { service: { id: string; integrationKeys: { key: string }[] } };
    serviceId = service.id;
    serviceKey = service.integrationKeys[0]!.key;
    assert.match(serviceKey, /^[a-z0-9]{32}$/);
    ready = true;
  });

  test('an alert posted with the PagerDuty API shows up in the list', async () => {
    needSetup();
    await triggerA();
    await page.goto('/alerts');
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    const row = alertRow(SUMMARY_A);
    try {
      await row.waitFor();
    } catch (error) {
      const detail = assetFailures.length ? `the server refused the UI's files: ${assetFailures.join(', ')}` : `console: ${consoleErrors.join(' | ')}`;
      throw new Error(`the alert did not appear; ${detail}`, { cause: error });
    }
    assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined, 'markup in the summary is not run');
    assert.equal((await row.locator('.cell-count').innerText()).trim(), '1');
    assert.match(await row.getByRole('cell').nth(2).innerText(), /Triggered/);
    assert.match(await row.innerText(), /Critical/);
    assert.match(await row.innerText(), new RegExp(escapeRegExp(SERVICE_NAME)));
    numbers['a'] = Number(await row.getAttribute('data-alert-number'));
    assert.ok(numbers['a']! > 0);

    // Relative times with the exact time on hover.
    const created = row.locator('time').first();
    assert.equal(await created.getAttribute('title') !== null, true);
    assert.match(await created.evaluate((el) => el.childNodes[0]?.textContent ?? ''), /just now|second|minute/);

    // The default view is open alerts: Triggered and Acknowledged ticked, Resolved not.
    assert.equal(await page.getByRole('checkbox', { name: 'Triggered' }).isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: 'Acknowledged' }).isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: 'Resolved' }).isChecked(), false);
  });

  test('a repeat counts up live, without reloading the page', async () => {
    needSetup();
    await page.locator('.live-live').waitFor();
    await page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));
    // (A repeat replaces the alert's details and links with its own, as PagerDuty does: send them again.)
    await triggerA();
    await alertRow(SUMMARY_A).locator('.cell-count', { hasText: /^2$/ }).waitFor();
    assert.equal(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument), true, 'the page was not reloaded');

    // A brand-new alert appears by itself too.
    await trigger('queue/worker-7', SUMMARY_B);
    await alertRow(SUMMARY_B).waitFor();
    assert.equal(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument), true);
    await page.screenshot({ path: '/tmp/vigil-alerts-list.png', fullPage: true });
  });

  test('the detail page shows the fields and log; acknowledging adds to the log', async () => {
    needSetup();
    await alertRow(SUMMARY_A).getByRole('link', { name: SUMMARY_A, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: SUMMARY_A }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/alerts/${numbers['a']}`);
    assert.equal(await page.evaluate(() => (window as { __xss?: number }).__xss), undefined);

    // Labels as chips, details as key/value (nested as JSON), the incident it opened.
    const labels = page.getByRole('list', { name: 'Labels' });
    const sourceChip = labels.getByRole('listitem').filter({ has: page.locator('.chip-name', { hasText: /^source$/ }) });
    assert.equal((await sourceChip.locator('.chip-value').innerText()).trim(), 'db-1');
    const details = page.getByRole('region', { name: 'Custom details' });
    assert.match(await details.innerText(), /used_percent\s+95/);
    assert.match(await details.locator('pre').innerText(), /"data": "\/dev\/sdb1"/);
    const link = page.getByRole('region', { name: 'Links' }).getByRole('link', { name: /Disk dashboard/ });
    assert.equal(await link.getAttribute('href'), DASHBOARD_URL);
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await link.getAttribute('target'), '_blank');
    const fields = page.getByRole('region', { name: 'Overview' });
    await fields.getByText(/^#\d+ /).waitFor();
    assert.match(await fields.innerText(), /Dedup key\s+disk-full\/db-1/i);

    // The log so far: created, then deduplicated, each with its raw payload behind a disclosure.
    const log = page.getByRole('region', { name: 'Event log' });
    const items = log.getByRole('listitem');
    assert.equal(await items.count(), 2);
    assert.equal(await items.nth(0).getAttribute('data-decision'), 'created');
    assert.equal(await items.nth(1).getAttribute('data-decision'), 'deduplicated');
    await items.nth(0).getByText('Raw payload').click();
    assert.match(await items.nth(0).locator('pre').innerText(), /"routing_key"|"event_action": "trigger"/);

    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    const acked = log.locator('[data-decision="acknowledged"]');
    await acked.waitFor();
    assert.match(await acked.innerText(), new RegExp(escapeRegExp(adminName)));
    await page.getByRole('status').filter({ hasText: `Acknowledged alert #${numbers['a']}.` }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Acknowledge', exact: true }).count(), 0, 'nothing left to acknowledge');
    await page.getByRole('button', { name: 'Resolve', exact: true }).waitFor();
    const { alert } = await apiGet<{ alert: { status: string } }>(`/alerts/${numbers['a']}`);
    assert.equal(alert.status, 'acknowledged');
    await page.screenshot({ path: '/tmp/vigil-alerts-detail.png', fullPage: true });
  });

  test('bulk resolve from the list', async () => {
    needSetup();
    await trigger('tls/expiry', SUMMARY_C);
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    const rowB = alertRow(SUMMARY_B);
    const rowC = alertRow(SUMMARY_C);
    await rowC.waitFor();
    numbers['b'] = Number(await rowB.getAttribute('data-alert-number'));
    numbers['c'] = Number(await rowC.getAttribute('data-alert-number'));
    assert.match(await alertRow(SUMMARY_A).innerText(), /Acknowledged/);

    const resolve = page.getByRole('button', { name: 'Resolve selected alerts' });
    assert.equal(await resolve.getAttribute('aria-disabled'), 'true', 'nothing selected yet');
    await page.getByRole('checkbox', { name: `Select alert #${numbers['b']}` }).check();
    await page.getByRole('checkbox', { name: `Select alert #${numbers['c']}` }).check();
    await page.getByText('2 alerts selected').waitFor();
    await resolve.click();
    await page.getByRole('status').filter({ hasText: 'Resolved 2 alerts.' }).waitFor();
    await rowB.waitFor({ state: 'detached' });
    await rowC.waitFor({ state: 'detached' });
    assert.equal(await alertRow(SUMMARY_A).count(), 1, 'the acknowledged alert is still open');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Resolve selected alerts', 'keyboard focus stays on the button');
    for (const key of ['b', 'c']) {
      const { alert } = await apiGet<{ alert: { status: string } }>(`/alerts/${numbers[key]}`);
      assert.equal(alert.status, 'resolved');
    }
  });

  test('filters live in the URL, so a filtered view can be bookmarked', async () => {
    needSetup();
    await page.getByRole('checkbox', { name: 'Resolved' }).check();
    await alertRow(SUMMARY_B).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('status'), 'triggered,acknowledged,resolved');

    await page.goto('/alerts?status=resolved');
    await alertRow(SUMMARY_C).waitFor();
    await alertRow(SUMMARY_B).waitFor();
    assert.equal(await alertRow(SUMMARY_A).count(), 0, 'the acknowledged alert is filtered out');
    assert.equal(await page.getByRole('checkbox', { name: 'Resolved' }).isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: 'Triggered' }).isChecked(), false);

    await page.getByLabel('Service').selectOption({ label: SERVICE_NAME });
    await page.waitForURL((url) => url.searchParams.get('serviceId') === serviceId);
    await page.getByLabel('Severity').selectOption('info');
    await page.getByRole('heading', { name: 'No alerts match these filters' }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('severity'), 'info');
    await page.getByRole('link', { name: 'Reset filters' }).click();
    await alertRow(SUMMARY_A).waitFor();
    assert.equal(new URL(page.url()).search, '');
  });

  test('suppressed alerts are marked, with why', async () => {
    needSetup();
    const created = await page.request.post('/api/v1/services', { data: { name: 'Batch jobs' } });
    assert.equal(created.status(), 201, await created.text());
    const { service } = (await created.json()) as { service: { id: string; integrationKeys: { key: string }[] } };
    const now = Date.now();
    const window = await page.request.post('/api/v1/maintenance-windows', {
      data: { serviceId: service.id, description: 'Database upgrade', startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() },
    });
    assert.equal(window.status(), 201, await window.text());
    await pagerDuty({ event_action: 'trigger', dedup_key: 'etl/late', payload: { summary: SUMMARY_D, source: 'etl-1', severity: 'error' } }, service.integrationKeys[0]!.key);

    await page.goto('/alerts');
    await alertRow(SUMMARY_A).waitFor();
    await page.getByLabel('Suppressed').selectOption('true');
    await page.waitForURL((url) => url.searchParams.get('suppressed') === 'true');
    const row = alertRow(SUMMARY_D);
    await row.waitFor();
    assert.equal(await alertRow(SUMMARY_A).count(), 0, 'only suppressed alerts');
    assert.match(await row.innerText(), /Suppressed\s+by maintenance window “Database upgrade” until/);

    await row.getByRole('link', { name: SUMMARY_D }).click();
    await page.getByRole('heading', { level: 1, name: SUMMARY_D }).waitFor();
    await page.getByRole('heading', { name: 'Suppressed: nobody was paged' }).waitFor();
    const log = page.getByRole('region', { name: 'Event log' });
    assert.match(await log.locator('[data-decision="suppressed"]').innerText(), /maintenance window "Database upgrade"/);
    assert.equal(await page.getByRole('button', { name: 'Acknowledge', exact: true }).count(), 1, 'a suppressed alert can still be acknowledged');
    await page.screenshot({ path: '/tmp/vigil-alerts-suppressed.png', fullPage: true });
  });

  test('without the live stream the page says so and polls, then goes live again', async () => {
    needSetup();
    const before = consoleErrors.length;
    await page.route('**/api/v1/stream', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"UNAVAILABLE","message":"down"}}' }));
    await page.goto('/alerts');
    await alertRow(SUMMARY_A).waitFor();
    await page.getByRole('status').filter({ hasText: 'Refreshing every 30 s' }).waitFor();
    await page.unroute('**/api/v1/stream');
    // The page retries the stream by itself (after a few seconds' backoff).
    await page.locator('.live-live').waitFor({ timeout: 15_000 });
    await page.evaluate(() => ((window as { __sameDocument?: boolean }).__sameDocument = true));
    await triggerA();
    await alertRow(SUMMARY_A).locator('.cell-count', { hasText: /^3$/ }).waitFor();
    assert.equal(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument), true);
    // The refused stream shows up as a failed request in the console; nothing else may.
    const during = consoleErrors.splice(before);
    assert.deepEqual(during.filter((text) => !/503|EventSource|text\/event-stream/i.test(text)), []);
  });

  test('the service page shows where to send alerts, with the real key', async () => {
    needSetup();
    await page.goto(`/services/${encodeURIComponent(serviceId)}`);
    await page.getByRole('heading', { level: 1, name: SERVICE_NAME }).waitFor();
    const section = page.getByRole('region', { name: 'Send alerts here' });
    await section.waitFor();

    const pagerDutySection = section.getByRole('region', { name: 'PagerDuty Events API v2' });
    assert.equal((await pagerDutySection.locator('code.endpoint-url').first().innerText()).trim(), `${baseUrl}/v2/enqueue`);
    await pagerDutySection.getByText('Example: curl').click();
    const pdExample = await pagerDutySection.locator('pre').innerText();
    assert.ok(pdExample.includes(`"routing_key": "${serviceKey}"`), pdExample);
    assert.ok(pdExample.includes(`'${baseUrl}/v2/enqueue'`), pdExample);
    await pagerDutySection.getByRole('button', { name: 'Copy the PagerDuty Events API v2 example' }).waitFor();

    const am = section.getByRole('region', { name: 'Prometheus Alertmanager' });
    assert.equal((await am.locator('code.endpoint-url').innerText()).trim(), `${baseUrl}/integrations/alertmanager/${serviceKey}`);
    await am.getByText('Example: alertmanager.yml').click();
    const yaml = await am.locator('pre').innerText();
    assert.match(yaml, /receivers:\n\s+- name: vigil\n\s+webhook_configs:\n\s+- url: '([^']+)'/);
    assert.ok(yaml.includes(`${baseUrl}/integrations/alertmanager/${serviceKey}`));

    const og = section.getByRole('region', { name: 'Opsgenie Alert API' });
    await og.getByText('Example: curl').click();
    assert.ok((await og.locator('pre').innerText()).includes(`Authorization: GenieKey ${serviceKey}`));

    const generic = section.getByRole('region', { name: 'Generic JSON' });
    assert.equal((await generic.locator('code.endpoint-url').innerText()).trim(), `${baseUrl}/api/v1/integrations/${serviceKey}/events`);
    assert.match(await section.getByRole('region', { name: 'Heartbeats' }).innerText(), /\/api\/v1\/heartbeats\/<heartbeat key>/);
    await page.screenshot({ path: '/tmp/vigil-alerts-service.png', fullPage: true });

    // The generic example really works: run its first request with fetch.
    await generic.getByText('Example: curl').click();
    const example = await generic.locator('pre').innerText();
    const url = /curl -sS -X POST '([^']+)'/.exec(example)?.[1];
    const body = /-d '(\{[^']+\})'/.exec(example)?.[1];
    assert.ok(url && body, example);
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(response.status, 202, await response.text());
  });

  test('observers can look but not change, and see no keys', async () => {
    needSetup();
    const created = await page.request.post('/api/v1/users', { data: { email: OBSERVER_EMAIL, name: 'Olive Observer', role: 'observer', password: OBSERVER_PASSWORD } });
    assert.equal(created.status(), 201, await created.text());
    const observer = await openSecondPerson(session!, OBSERVER_EMAIL, OBSERVER_PASSWORD);
    try {
      const view = observer.page;
      await view.goto('/alerts');
      await view.getByRole('link', { name: SUMMARY_A, exact: true }).waitFor();
      assert.equal(await view.getByRole('checkbox', { name: /^Select/ }).count(), 0, 'no selection checkboxes');
      assert.equal(await view.getByRole('button', { name: /selected alerts/ }).count(), 0, 'no bulk actions');
      await view.getByRole('link', { name: SUMMARY_A, exact: true }).click();
      await view.getByRole('heading', { level: 1, name: SUMMARY_A }).waitFor();
      await view.getByRole('region', { name: 'Event log' }).waitFor();
      assert.equal(await view.getByRole('button', { name: 'Resolve', exact: true }).count(), 0);

      await view.goto(`/services/${encodeURIComponent(serviceId)}`);
      const section = view.getByRole('region', { name: 'Send alerts here' });
      await section.waitFor();
      const text = await section.innerText();
      assert.ok(text.includes('YOUR_INTEGRATION_KEY'), text);
      assert.ok(!(await view.content()).includes(serviceKey), 'the key is nowhere on the page');
    } finally {
      await observer.close();
    }
  });

  test('works at phone width', async () => {
    needSetup();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/alerts?status=any');
    await alertRow(SUMMARY_B).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling on the list at phone width (page is ${width}px wide)`);
    await page.screenshot({ path: '/tmp/vigil-alerts-phone-list.png', fullPage: true });

    await alertRow(SUMMARY_A).getByRole('link', { name: SUMMARY_A, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: SUMMARY_A }).waitFor();
    const detailWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(detailWidth <= 390, `no horizontal scrolling on the detail page (page is ${detailWidth}px wide)`);
    await page.screenshot({ path: '/tmp/vigil-alerts-phone-detail.png', fullPage: true });

    await page.goto(`/services/${encodeURIComponent(serviceId)}`);
    await page.getByRole('region', { name: 'Send alerts here' }).waitFor();
    const serviceWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(serviceWidth <= 390, `no horizontal scrolling on the service page (page is ${serviceWidth}px wide)`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  // Last but one: its 55 alerts push the others off the first page.
  test('"Load more" pages with the cursor; live refreshes keep every loaded row', async () => {
    needSetup();
    const created = await page.request.post('/api/v1/services', { data: { name: 'Fleet' } });
    assert.equal(created.status(), 201, await created.text());
    const { service } = (await created.json()) as { service: { id: string; integrationKeys: { key: string }[] } };
    const fleetKey = service.integrationKeys[0]!.key;
    for (let i = 0; i < 55; i += 11) {
      await Promise.all(
        Array.from({ length: 11 }, (_, j) =>
          pagerDuty({ event_action: 'trigger', dedup_key: `host-${i + j}`, payload: { summary: `Host ${i + j} unreachable`, source: `host-${i + j}`, severity: 'warning' } }, fleetKey),
        ),
      );
    }
    await page.goto(`/alerts?serviceId=${service.id}`);
    const rows = page.locator('.alerts-table tbody tr');
    await page.getByText('Showing the newest 50 alerts.').waitFor();
    assert.equal(await rows.count(), 50);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('Showing 55 alerts: all that match.').waitFor();
    assert.equal(await rows.count(), 55);
    assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0);
    // Focus moves to the first alert loaded, once the new rows have rendered (waited for, not raced).
    const firstLoaded = await rows.nth(50).getAttribute('data-alert-number');
    await page.waitForFunction((n) => document.activeElement?.closest('tr')?.getAttribute('data-alert-number') === n, firstLoaded);

    // The oldest one, from the second page, counts up live; nothing loaded is dropped.
    const oldest = rows.nth(54);
    const oldestSummary = (await oldest.getByRole('link').first().innerText()).trim();
    const host = /Host (\d+) unreachable/.exec(oldestSummary)?.[1];
    assert.ok(host, oldestSummary);
    await pagerDuty({ event_action: 'trigger', dedup_key: `host-${host}`, payload: { summary: oldestSummary, source: `host-${host}`, severity: 'warning' } }, fleetKey);
    await alertRow(oldestSummary).locator('.cell-count', { hasText: /^2$/ }).waitFor();
    assert.equal(await rows.count(), 55);
  });

  test('no errors in the browser console', () => {
    assert.deepEqual(assetFailures, [], 'every file of the UI loaded');
    assert.deepEqual(consoleErrors, []);
  });
});
