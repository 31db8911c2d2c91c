// Browser test of the noise-control screens against the real server: start a maintenance window
// from the service page (times read in the user's time zone), see an alert held back by it in the
// Alerts list and detail, end it from the Noise control page; create a silence with a regular
// expression matcher, see that it holds back a matching alert and not another, expire it; an invalid
// regular expression comes back as an error next to its field; alert settings edited on the service
// page; event rules listed in evaluation order; observers see it all without any buttons.
//
// Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`); skipped without it.
// Run: node_modules/.bin/node --test e2e/browser/noise.test.ts
// Screenshots land in /tmp/vigil-noise-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { api, type BrowserSession, createService, openBrowserSession, postJson, skipWithoutChromium, signIn, openSecondPerson } from '../support/browser.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'browser-test-Passw0rd-long';
const OBSERVER_EMAIL = 'observer@example.com';
const OBSERVER_PASSWORD = 'observer-test-Passw0rd-long';
const SERVICE_NAME = 'Storage API';
const WINDOW_DESCRIPTION = 'Disk array swap';
const SILENCE_COMMENT = 'Replacing disks on the db hosts, OPS-12';
/** Nine hours ahead of UTC all year: a time shown in UTC instead is plainly wrong. */
const TIME_ZONE = 'Asia/Tokyo';
const TOKYO_OFFSET_MS = 9 * 3_600_000;

const skip = skipWithoutChromium;

interface AlertOut {
  number: number;
  summary: string;
  suppressedBy: Record<string, unknown> | null;
}
interface WindowOut {
  id: string;
  description: string;
  startsAt: string;
  endsAt: string;
  state: string;
}
interface SilenceOut {
  id: string;
  comment: string;
  state: string;
  serviceId: string | null;
  matchers: { name: string; op: string; value: string }[];
}

describe('web UI: noise control', { skip }, () => {
  let session: BrowserSession | undefined;
  let baseUrl = '';
  let page: Page;
  let serviceId = '';
  let serviceKey = '';
  let consoleErrors: string[] = [];
  let assetFailures: string[] = [];
  let ready = false;
  const needSetup = () => assert.ok(ready, 'setup failed: not signed in or no service');

  const trigger = async (dedupKey: string, summary: string, source: string): Promise<void> => {
    await postJson(baseUrl, '/v2/enqueue', { routing_key: serviceKey, event_action: 'trigger', dedup_key: dedupKey, payload: { summary, source, severity: 'critical' } });
  };

  const alertBySummary = async (summary: string): Promise<AlertOut> => {
    const { alerts } = await api<{ alerts: AlertOut[] }>(page, 'GET', `/alerts?serviceId=${serviceId}&limit=100`);
    const found = alerts.find((a) => a.summary === summary);
    assert.ok(found, `no alert "${summary}" among ${alerts.map((a) => a.summary).join(', ')}`);
    return found;
  };

  const alertRow = (summary: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: summary, exact: true }) });
  const region = (name: string) => page.getByRole('region', { name, exact: true });

  before(async () => {
    session = await openBrowserSession({ name: 'noise', env: { VIGIL_ADMIN_EMAIL: ADMIN_EMAIL, VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    ({ baseUrl, page, consoleErrors, assetFailures } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('setup: sign in, set a time zone, create a service through the API', async () => {
    await signIn(session!, ADMIN_EMAIL, ADMIN_PASSWORD);
    assert.deepEqual(consoleErrors.splice(0), []);
    const profile = await page.request.patch('/api/v1/me', { data: { timeZone: TIME_ZONE } });
    assert.equal(profile.status(), 200, await profile.text());
    ({ id: serviceId, key: serviceKey } = await createService(page, SERVICE_NAME));
    ready = true;
  });

  test('the navigation leads to the Noise control page', async () => {
    needSetup();
    await page.goto('/services');
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Noise control' }).click();
    await page.getByRole('heading', { level: 1, name: 'Noise control' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/noise');
    await region('Maintenance windows').getByText('No maintenance windows yet.').waitFor();
    await region('Silences').getByText('No silences yet.').waitFor();
    await region('Event rules').getByText(/No event rules/).waitFor();
  });

  test('from the keyboard: opening a form moves focus into it, closing it moves focus back', async () => {
    needSetup();
    const section = region('Maintenance windows');
    await section.getByRole('button', { name: 'New maintenance window' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'serviceId');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'description', 'the next stop is the description');
    await section.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.textContent === 'New maintenance window');

    await region('Silences').getByRole('button', { name: 'New silence' }).focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'matchers.0.name');
  });

  test('starts a maintenance window from the service page, in the user’s time zone', async () => {
    needSetup();
    await page.goto(`/services/${encodeURIComponent(serviceId)}`);
    await page.getByRole('heading', { level: 1, name: SERVICE_NAME }).waitFor();
    const section = region('Maintenance and silences');
    await section.getByText(/No maintenance window or silence/).waitFor();
    await section.getByRole('button', { name: 'Start maintenance' }).click();
    const form = section.getByRole('region', { name: `Start maintenance on ${SERVICE_NAME}` });

    // The start defaults to now, written as wall-clock time in Tokyo (not UTC, not the browser's zone).
    const start = await form.getByLabel('Start', { exact: true }).inputValue();
    const shownAsUtc = Date.parse(`${start}:00Z`);
    assert.ok(Math.abs(shownAsUtc - TOKYO_OFFSET_MS - Date.now()) < 120_000, `start ${start} is now in ${TIME_ZONE}`);

    await form.getByLabel('Description').fill(WINDOW_DESCRIPTION);
    await form.getByRole('button', { name: 'Lasts 4 h' }).click();
    await page.screenshot({ path: '/tmp/vigil-noise-window-form.png', fullPage: true });
    const end = await form.getByLabel('End', { exact: true }).inputValue();
    assert.equal(Date.parse(`${end}:00Z`) - Date.parse(`${start}:00Z`), 4 * 3_600_000, `end ${end} is 4 h after the start ${start}`);
    await form.getByRole('button', { name: 'Schedule maintenance' }).click();

    await section.getByRole('status').filter({ hasText: `Scheduled maintenance window “${WINDOW_DESCRIPTION}”.` }).waitFor();
    const row = section.getByRole('row').filter({ hasText: WINDOW_DESCRIPTION });
    await row.waitFor();
    assert.match(await row.innerText(), /Active/);
    // Focus goes back to the button that opened the form.
    await page.waitForFunction(() => document.activeElement?.textContent === 'Start maintenance');

    const { maintenanceWindows } = await api<{ maintenanceWindows: WindowOut[] }>(page, 'GET', `/maintenance-windows?serviceId=${serviceId}`);
    assert.equal(maintenanceWindows.length, 1);
    const window = maintenanceWindows[0]!;
    assert.equal(window.description, WINDOW_DESCRIPTION);
    assert.equal(window.state, 'active');
    assert.ok(Math.abs(Date.parse(window.startsAt) - Date.now()) < 120_000, `the window starts now: ${window.startsAt}`);
    const length = Date.parse(window.endsAt) - Date.parse(window.startsAt);
    assert.ok(Math.abs(length - 4 * 3_600_000) < 120_000, `and lasts about 4 h: ${length} ms`);

    // The table shows the times in Tokyo too.
    const startCell = row.locator('time').first();
    assert.equal(await startCell.getAttribute('datetime'), window.startsAt);
    const [tokyo, utc] = await page.evaluate((iso) => {
      const f = (timeZone: string) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
      return [f('Asia/Tokyo'), f('UTC')];
    }, window.startsAt);
    assert.notEqual(tokyo, utc);
    assert.equal((await startCell.innerText()).trim(), tokyo);
    await page.screenshot({ path: '/tmp/vigil-noise-service.png', fullPage: true });
  });

  test('an alert to the service in maintenance is suppressed, naming the window', async () => {
    needSetup();
    await trigger('disk/db-3', 'Disk failing on db-3', 'db-3');
    const alert = await alertBySummary('Disk failing on db-3');
    assert.equal(alert.suppressedBy?.['type'], 'maintenance');

    await page.goto(`/alerts?serviceId=${serviceId}`);
    const row = alertRow('Disk failing on db-3');
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`Suppressed\\s+by maintenance window “${WINDOW_DESCRIPTION}” until`));
    await row.getByRole('link', { name: 'Disk failing on db-3' }).click();
    await page.getByRole('heading', { level: 1, name: 'Disk failing on db-3' }).waitFor();
    await page.getByRole('heading', { name: 'Suppressed: nobody was paged' }).waitFor();
    assert.match(await page.locator('.notice-suppressed').innerText(), new RegExp(`maintenance window “${WINDOW_DESCRIPTION}”`));
  });

  test('ends the window from the Noise control page', async () => {
    needSetup();
    await page.goto('/noise');
    const section = region('Maintenance windows');
    const row = section.getByRole('row').filter({ hasText: WINDOW_DESCRIPTION });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`${SERVICE_NAME}[\\s\\S]*Active`));
    await row.getByRole('button', { name: `End now: ${WINDOW_DESCRIPTION}` }).click();
    await section.getByRole('status').filter({ hasText: `Ended maintenance window “${WINDOW_DESCRIPTION}”.` }).waitFor();
    await row.getByText('Ended', { exact: true }).waitFor();
    assert.equal(await row.getByRole('button', { name: /End now/ }).count(), 0, 'an ended window cannot be ended again');

    const { maintenanceWindows } = await api<{ maintenanceWindows: WindowOut[] }>(page, 'GET', `/maintenance-windows?serviceId=${serviceId}`);
    assert.equal(maintenanceWindows[0]?.state, 'past');
    await trigger('disk/db-4', 'Disk failing on db-4', 'db-4');
    assert.equal((await alertBySummary('Disk failing on db-4')).suppressedBy, null, 'after the window, alerts page again');
  });

  test('an invalid regular expression is shown next to its field', async () => {
    needSetup();
    await page.goto('/noise');
    const section = region('Silences');
    await section.getByRole('button', { name: 'New silence' }).click();
    const form = section.getByRole('region', { name: 'New silence' });
    await form.getByLabel('Matcher 1 name').fill('source');
    await form.getByLabel('Matcher 1 operator').selectOption('=~');
    await form.getByLabel('Matcher 1 value').fill('(');
    await form.getByLabel('Comment').fill('broken');
    const before = consoleErrors.length;
    await form.getByRole('button', { name: 'Create silence' }).click();

    const value = form.getByLabel('Matcher 1 value');
    await form.locator('[aria-invalid="true"]').first().waitFor();
    assert.equal(await value.getAttribute('aria-invalid'), 'true');
    const describedBy = (await value.getAttribute('aria-describedby')) ?? '';
    assert.ok(describedBy, 'the value field points at its error');
    const errorText = await page.locator(`[id="${describedBy.split(' ')[0]}"]`).innerText();
    assert.match(errorText, /regular expression/i);
    assert.equal(await value.evaluate((el) => el === document.activeElement), true, 'focus moves to the field to fix');
    assert.equal(await form.getByLabel('Matcher 1 name').getAttribute('aria-invalid'), null, 'only the wrong field is marked');
    const { silences } = await api<{ silences: SilenceOut[] }>(page, 'GET', '/silences');
    assert.equal(silences.length, 0, 'nothing was created');
    // The refused request shows up in the console as a failed resource; nothing else may.
    assert.deepEqual(consoleErrors.splice(before).filter((text) => !/status of 400/.test(text)), []);
    await page.screenshot({ path: '/tmp/vigil-noise-silence-error.png', fullPage: true });
    await form.getByRole('button', { name: 'Cancel' }).click();
    await section.getByRole('button', { name: 'New silence' }).waitFor();
  });

  test('creates a silence with matcher rows; it holds back a matching alert and not another', async () => {
    needSetup();
    await page.goto('/noise');
    const section = region('Silences');
    await section.getByRole('button', { name: 'New silence' }).click();
    const form = section.getByRole('region', { name: 'New silence' });
    await form.getByLabel('Matcher 1 name').fill('source');
    await form.getByLabel('Matcher 1 operator').selectOption('=~');
    await form.getByLabel('Matcher 1 value').fill('db-[0-9]+');
    // A second row, then removed again: only the first one is sent.
    await form.getByRole('button', { name: 'Add matcher' }).click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'matchers.1.name'); // the new row gets focus
    await form.getByLabel('Matcher 2 name').fill('severity');
    await form.getByRole('button', { name: 'Remove matcher 2' }).click();
    assert.equal(await form.getByLabel('Matcher 2 name').count(), 0);
    await form.getByLabel('Service').selectOption({ label: SERVICE_NAME });
    await form.getByLabel('Comment').fill(SILENCE_COMMENT);
    await form.getByLabel('Duration').selectOption({ label: '1 hour' });
    await form.getByRole('button', { name: 'Create silence' }).click();

    await section.getByRole('status').filter({ hasText: `Created silence “${SILENCE_COMMENT}”.` }).waitFor();
    const row = section.getByRole('row').filter({ hasText: SILENCE_COMMENT });
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /source=~"db-\[0-9\]\+"/);
    assert.match(text, new RegExp(SERVICE_NAME));
    assert.match(text, /Active/);

    const { silences } = await api<{ silences: SilenceOut[] }>(page, 'GET', '/silences');
    assert.equal(silences.length, 1);
    assert.deepEqual(silences[0]!.matchers, [{ name: 'source', op: '=~', value: 'db-[0-9]+' }]);
    assert.equal(silences[0]!.serviceId, serviceId);
    assert.equal(silences[0]!.state, 'active');

    await trigger('disk/db-7', 'Disk failing on db-7', 'db-7');
    await trigger('cpu/web-1', 'CPU hot on web-1', 'web-1');
    assert.equal((await alertBySummary('Disk failing on db-7')).suppressedBy?.['type'], 'silence');
    assert.equal((await alertBySummary('CPU hot on web-1')).suppressedBy, null);

    await page.goto(`/alerts?serviceId=${serviceId}`);
    const silenced = alertRow('Disk failing on db-7');
    await silenced.waitFor();
    assert.match(await silenced.innerText(), new RegExp(`Suppressed\\s+by silence “${SILENCE_COMMENT}”`));
    const paged = alertRow('CPU hot on web-1');
    await paged.waitFor();
    assert.doesNotMatch(await paged.innerText(), /Suppressed/);

    // The service page lists the silence too.
    await page.goto(`/services/${encodeURIComponent(serviceId)}`);
    await region('Maintenance and silences').getByRole('row').filter({ hasText: SILENCE_COMMENT }).waitFor();
  });

  test('expires the silence from the UI', async () => {
    needSetup();
    await page.goto('/noise');
    const section = region('Silences');
    const row = section.getByRole('row').filter({ hasText: SILENCE_COMMENT });
    await row.waitFor();
    await row.getByRole('button', { name: `Expire: ${SILENCE_COMMENT}` }).click();
    await section.getByRole('status').filter({ hasText: `Expired silence “${SILENCE_COMMENT}”.` }).waitFor();
    await row.getByText('Expired', { exact: true }).waitFor();
    assert.equal(await row.getByRole('button', { name: /Expire/ }).count(), 0);
    const { silences } = await api<{ silences: SilenceOut[] }>(page, 'GET', '/silences');
    assert.equal(silences[0]?.state, 'expired');
    await trigger('disk/db-8', 'Disk failing on db-8', 'db-8');
    assert.equal((await alertBySummary('Disk failing on db-8')).suppressedBy, null, 'an expired silence holds nothing back');
    await page.screenshot({ path: '/tmp/vigil-noise-page.png', fullPage: true });
  });

  test('edits the alert settings on the service page', async () => {
    needSetup();
    await page.goto(`/services/${encodeURIComponent(serviceId)}`);
    const section = region('Alert settings');
    await section.getByText('None: each alert opens its own incident.').waitFor();
    assert.match(await section.innerText(), /Warning: low/);
    await section.getByRole('button', { name: 'Edit alert settings' }).click();
    await section.getByLabel('Grouping').selectOption('time');
    await section.getByLabel('Window (minutes)').fill('15');
    await section.getByLabel('Warning alerts').selectOption('high');
    await section.getByRole('button', { name: 'Save alert settings' }).click();
    await section.getByRole('status').filter({ hasText: 'Saved the alert settings.' }).waitFor();
    assert.match(await section.innerText(), /Time window: a new alert joins the newest open incident opened in the last 15 minutes/);
    assert.match(await section.innerText(), /Warning: high/);

    const { alertSettings } = await api<{ alertSettings: { grouping: unknown; urgencyRule: unknown } }>(page, 'GET', `/services/${serviceId}/alert-settings`);
    assert.deepEqual(alertSettings.grouping, { mode: 'time', windowMinutes: 15 });
    assert.deepEqual(alertSettings.urgencyRule, { bySeverity: { warning: 'high' } });
  });

  test('adds an event rule from the UI; rules are listed in evaluation order; deletes one', async () => {
    needSetup();
    await page.goto('/noise');
    const rulesSection = region('Event rules');
    await rulesSection.getByRole('button', { name: 'New event rule' }).click();
    const form = rulesSection.getByRole('region', { name: 'New event rule' });
    await form.getByLabel('Rule name').fill('quiet storage probes');
    await form.getByLabel('Applies to').selectOption({ label: SERVICE_NAME });
    await form.getByLabel('Matcher 1 name').fill('source');
    await form.getByLabel('Matcher 1 value').fill('probe');
    // No action yet: the API's error shows under "What it does".
    const before = consoleErrors.length;
    await form.getByRole('button', { name: 'Add event rule' }).click();
    await form.locator('#rule-actions-error').filter({ hasText: /at least one action/ }).waitFor();
    assert.deepEqual(consoleErrors.splice(before).filter((text) => !/status of 400/.test(text)), []);
    await form.getByLabel('Suppress (record the alert, page nobody)').check();
    await form.getByRole('button', { name: 'Add event rule' }).click();
    await rulesSection.getByRole('status').filter({ hasText: 'Added event rule “quiet storage probes”.' }).waitFor();

    await trigger('probe/1', 'Synthetic probe failed', 'probe');
    assert.equal((await alertBySummary('Synthetic probe failed')).suppressedBy?.['type'], 'rule', 'the rule made from the UI applies');

    await api(page, 'POST', '/event-rules', {
      name: 'drop synthetic checks',
      serviceId: null,
      matchers: [{ name: 'summary', op: '=~', value: 'synthetic.*' }],
      actions: { drop: true },
    });
    await page.goto('/noise');
    const section = region('Event rules');
    const rows = section.locator('tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.match(await rows.nth(0).innerText(), /Global[\s\S]*drop synthetic checks[\s\S]*summary=~"synthetic\.\*"[\s\S]*drop the event/);
    assert.match(await rows.nth(1).innerText(), new RegExp(`${SERVICE_NAME}[\\s\\S]*quiet storage probes[\\s\\S]*suppress`));

    await rows.nth(1).getByRole('button', { name: 'Delete: quiet storage probes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete event rule “quiet storage probes”?' });
    await dialog.getByRole('button', { name: 'Delete rule' }).click();
    await section.getByRole('status').filter({ hasText: 'Deleted event rule “quiet storage probes”.' }).waitFor();
    await section.getByRole('row').filter({ hasText: 'quiet storage probes' }).waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);
    const { eventRules } = await api<{ eventRules: { name: string }[] }>(page, 'GET', '/event-rules');
    assert.deepEqual(eventRules.map((r) => r.name), ['drop synthetic checks']);
  });

  test('observers see everything, with no buttons', async () => {
    needSetup();
    // An active window and a silence, so there would be row actions to show.
    const now = Date.now();
    await api(page, 'POST', '/maintenance-windows', {
      serviceId,
      description: 'Firmware update',
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
    });
    await api(page, 'POST', '/silences', { matchers: [{ name: 'source', op: '=', value: 'web-1' }], comment: 'Web tier rebuild', endsAt: new Date(now + 3_600_000).toISOString() });
    await api(page, 'POST', '/users', { email: OBSERVER_EMAIL, name: 'Olive Observer', role: 'observer', password: OBSERVER_PASSWORD });

    const observer = await openSecondPerson(session!, OBSERVER_EMAIL, OBSERVER_PASSWORD);
    try {
      const view = observer.page;
      const errors = observer.errors;

      await view.goto('/noise');
      await view.getByRole('heading', { level: 1, name: 'Noise control' }).waitFor();
      await view.getByRole('row').filter({ hasText: 'Firmware update' }).waitFor();
      await view.getByRole('row').filter({ hasText: 'Web tier rebuild' }).waitFor();
      await view.getByRole('row').filter({ hasText: 'drop synthetic checks' }).waitFor();
      await view.getByRole('row').filter({ hasText: SILENCE_COMMENT }).waitFor();
      assert.equal(await view.getByRole('main').getByRole('button').count(), 0, 'no buttons at all on the Noise control page');
      assert.equal(await view.locator('main form').count(), 0, 'and no forms');

      await view.goto(`/services/${encodeURIComponent(serviceId)}`);
      await view.getByRole('heading', { level: 1, name: SERVICE_NAME }).waitFor();
      const noise = view.getByRole('region', { name: 'Maintenance and silences', exact: true });
      await noise.getByRole('row').filter({ hasText: 'Firmware update' }).waitFor();
      assert.equal(await noise.getByRole('button').count(), 0, 'no Start maintenance, End now or Expire');
      const settings = view.getByRole('region', { name: 'Alert settings', exact: true });
      await settings.getByText(/Time window/).waitFor();
      assert.equal(await settings.getByRole('button').count(), 0, 'no Edit alert settings');
      assert.deepEqual(errors, []);
    } finally {
      await observer.close();
    }
  });

  test('works at phone width', async () => {
    needSetup();
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto('/noise');
      await region('Silences').getByRole('row').filter({ hasText: SILENCE_COMMENT }).waitFor();
      await region('Silences').getByRole('button', { name: 'New silence' }).click();
      await page.getByLabel('Matcher 1 value').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no horizontal scrolling on the Noise control page (page is ${width}px wide)`);
      await page.screenshot({ path: '/tmp/vigil-noise-phone.png', fullPage: true });
      await page.goto(`/services/${encodeURIComponent(serviceId)}`);
      await region('Alert settings').getByText(/Time window/).waitFor();
      await region('Maintenance and silences').getByRole('button', { name: 'Start maintenance' }).click();
      await page.getByLabel('Description').waitFor();
      const serviceWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(serviceWidth <= 390, `no horizontal scrolling on the service page (page is ${serviceWidth}px wide)`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  test('no errors in the browser console', () => {
    assert.deepEqual(assetFailures, [], 'every file of the UI loaded');
    assert.deepEqual(consoleErrors, []);
  });
});
