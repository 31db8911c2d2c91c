// Browser test of the Escalation screens against the real server: a schedule and people made through
// the API; a two-level policy built in the form (a schedule, then a person), first with an invalid
// level (delay 0) whose server error shows at that level's delay; the policy page's preview names
// whoever is on call; deleting a policy a service uses is refused, naming the service; the policy is
// attached to a service from the service page; a PagerDuty trigger opens an incident whose Paging
// section shows the escalation, its step and an "unreachable" row for the on-call person (who has no
// contact methods); an edit reorders the levels (a schedule deleted meanwhile is named beside its
// target: levels.1.targets.1.id) and sets an acknowledgement timeout while the running escalation
// keeps its snapshot; a responder escalates, acknowledges and reassigns from the incident page and
// the Paging section shows each step; observers see it all with no edit or incident controls; phone
// width; no console errors.
//
// Needs Debian's chromium at /usr/bin/chromium; skipped without it. Build the UI first
// (npm run build:web). Run: node_modules/.bin/node --test e2e/browser/escalation.test.ts
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { api, type BrowserSession, createService, openBrowserSession, postJson, skipWithoutChromium, UI_TIMEOUT_MS, signIn, openSecondPerson } from '../support/browser.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'browser-test-Passw0rd-long';
const OBSERVER_EMAIL = 'observer@example.com';
const OBSERVER_PASSWORD = 'observer-test-Passw0rd-long';
const POLICY = 'Checkout escalation';
const SCHEDULE = 'Checkout primary';
const SERVICE = 'Checkout';
const SPARE = 'Spare rota';

interface UserOut {
  id: string;
  name: string;
}

/** Clicks `refresh` until `target` shows up (the escalation step runs as a background job). */
async function refreshUntil(refresh: Locator, target: Locator): Promise<void> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  for (;;) {
    if ((await target.count()) > 0) return;
    if (Date.now() > deadline) throw new Error('timed out waiting for the paging log');
    await refresh.click();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('web UI: escalation policies and paging', { skip: skipWithoutChromium }, () => {
  let session: BrowserSession | undefined;
  let baseUrl = '';
  let page: Page;
  let consoleErrors: string[] = [];
  let assetFailures: string[] = [];
  let carol: UserOut;
  let dan: UserOut;
  let service = { id: '', key: '' };
  let policyId = '';
  let spareId = '';
  let incidentNumber = 0;
  let ready = false;
  const needSetup = () => assert.ok(ready, 'setup failed: not signed in, or no users, schedule or service');
  const needPolicy = () => assert.ok(policyId, 'the policy was not created');
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  /** Drops the console's note of an HTTP error the step provoked on purpose. */
  const dropExpected = (status: number) => {
    const kept = consoleErrors.filter((text) => !text.includes(`status of ${status}`));
    consoleErrors.splice(0, consoleErrors.length, ...kept);
  };

  before(async () => {
    session = await openBrowserSession({ name: 'escalation', env: { VIGIL_ADMIN_EMAIL: ADMIN_EMAIL, VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    ({ baseUrl, page, consoleErrors, assetFailures } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('setup: sign in; two people, a schedule and a service through the API', async () => {
    await signIn(session!, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({ user: carol } = await api<{ user: UserOut }>(page, 'POST', '/users', { email: 'carol@example.com', name: 'Carol Onca', role: 'responder', password: 'carol-test-Passw0rd-long' }));
    ({ user: dan } = await api<{ user: UserOut }>(page, 'POST', '/users', { email: 'dan@example.com', name: 'Dan Backup', role: 'responder', password: 'dan-test-Passw0rd-long' }));
    // Carol alone, all week every week: always on call.
    await api(page, 'POST', '/schedules', {
      name: SCHEDULE,
      timeZone: 'UTC',
      layers: [{ name: 'Primary', participants: [carol.id], rotation: { unit: 'week', length: 1 }, handoff: { date: '2026-01-05', time: '09:00' } }],
    });
    ({
      schedule: { id: spareId },
    } = await api<{ schedule: { id: string } }>(page, 'POST', '/schedules', {
      name: SPARE,
      timeZone: 'UTC',
      layers: [{ name: 'Spare', participants: [dan.id], rotation: { unit: 'week', length: 1 }, handoff: { date: '2026-01-05', time: '09:00' } }],
    }));
    service = await createService(page, SERVICE);
    ready = true;
  });

  test('the navigation leads to Escalation, no longer a placeholder', async () => {
    needSetup();
    await page.goto('/services');
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Escalation' }).click();
    await page.getByRole('heading', { level: 1, name: 'Escalation' }).waitFor();
    await page.getByText('Create a policy, then point services at it').waitFor();
    assert.equal(await page.getByText('Not available yet').count(), 0);
  });

  test('creates a two-level policy; an invalid delay is shown at its level', async () => {
    needSetup();
    await page.goto('/escalation');
    await page.getByRole('link', { name: 'New policy' }).click();
    await page.getByRole('heading', { level: 1, name: 'New escalation policy' }).waitFor();
    const form = page.locator('main form');
    await form.getByLabel('Name', { exact: true }).fill(POLICY);
    await form.getByLabel('Description').fill('Who is woken for checkout');

    const level1 = form.getByRole('group', { name: 'Level 1', exact: true });
    await level1.getByLabel('Delay (minutes)').fill('10');
    await level1.getByLabel('Add a target to level 1').selectOption({ label: SCHEDULE });
    await level1.getByRole('button', { name: 'Add to level 1' }).click();
    await level1.getByRole('list', { name: 'Targets of level 1' }).getByText(SCHEDULE).waitFor();

    await form.getByRole('button', { name: 'Add level' }).click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'levels.1.delayMinutes'); // the new level's delay has focus
    const level2 = form.getByRole('group', { name: 'Level 2', exact: true });
    await level2.getByLabel('Add a target to level 2').selectOption({ label: dan.name });
    await level2.getByRole('button', { name: 'Add to level 2' }).click();
    await level2.getByLabel('Mode').selectOption('round-robin');
    await level2.getByLabel('Delay (minutes)').fill('0');

    await form.getByRole('button', { name: 'Create policy' }).click();
    const delay2 = level2.getByLabel('Delay (minutes)');
    await page.waitForFunction(() => document.querySelectorAll('main form [aria-invalid="true"]').length > 0);
    assert.equal(await delay2.getAttribute('aria-invalid'), 'true', "level 2's delay is marked invalid");
    assert.equal(await level1.getByLabel('Delay (minutes)').getAttribute('aria-invalid'), null, "level 1's delay is fine");
    assert.match(await level2.locator('.field-error').first().innerText(), />= 1/);
    assert.equal(new URL(page.url()).pathname, '/escalation/new', 'nothing was created');
    assert.equal((await api<{ policies: unknown[] }>(page, 'GET', '/escalation-policies')).policies.length, 0);
    dropExpected(400);
    await page.screenshot({ path: '/tmp/vigil-escalation-form.png', fullPage: true });

    // Reorder and back: the levels keep their targets.
    await level2.getByRole('button', { name: 'Move level 2 up' }).click();
    assert.match(await form.getByRole('group', { name: 'Level 1', exact: true }).innerText(), /Dan Backup/);
    await form.getByRole('group', { name: 'Level 1', exact: true }).getByRole('button', { name: 'Move level 1 down' }).click();
    assert.match(await form.getByRole('group', { name: 'Level 1', exact: true }).innerText(), new RegExp(SCHEDULE));

    await form.getByRole('group', { name: 'Level 2', exact: true }).getByLabel('Delay (minutes)').fill('5');
    await form.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('heading', { level: 1, name: POLICY }).waitFor();
    await page.screenshot({ path: '/tmp/vigil-escalation-policy.png', fullPage: true });
    policyId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
    const { policy } = await api<{ policy: { levels: { delayMinutes: number; mode: string; targets: { type: string; id: string }[] }[] } }>(page, 'GET', `/escalation-policies/${policyId}`);
    assert.deepEqual(
      policy.levels.map((l) => ({ delayMinutes: l.delayMinutes, mode: l.mode, targets: l.targets.map((t) => `${t.type}:${t.id === dan.id ? 'dan' : 'schedule'}`) })),
      [
        { delayMinutes: 10, mode: 'all', targets: ['schedule:schedule'] },
        { delayMinutes: 5, mode: 'round-robin', targets: ['user:dan'] },
      ],
    );
  });

  test("the policy page's preview names who is on call now", async () => {
    needPolicy();
    await page.goto(`/escalation/${policyId}`);
    const preview = region('Who would be paged now');
    const levels = preview.getByRole('list', { name: 'Levels now' }).getByRole('listitem');
    await levels.nth(1).waitFor();
    assert.match(await levels.nth(0).innerText(), /Level 1: Carol Onca/);
    assert.match(await levels.nth(1).innerText(), /Level 2: Dan Backup/);
    const timeline = preview.getByRole('list', { name: 'Timeline' }).getByRole('listitem');
    assert.match(await timeline.nth(0).innerText(), /level 1 pages Carol Onca/);
    assert.match(await timeline.nth(1).innerText(), /level 2 pages Dan Backup/);
    assert.match(await region('Levels').innerText(), /No service pages through this policy yet/);
  });

  test('attaches the policy to a service from the service page', async () => {
    needPolicy();
    await page.goto(`/services/${service.id}`);
    const section = region('Escalation policy');
    await section.getByText('incidents of this service page nobody').waitFor();
    await section.getByRole('combobox', { name: 'Escalation policy' }).selectOption({ label: POLICY });
    await section.getByRole('button', { name: 'Save policy' }).click();
    await section.getByText(`Incidents of this service now page through “${POLICY}”.`).waitFor();
    await section.getByRole('link', { name: POLICY }).waitFor();
    const { policy } = await api<{ policy: { services: { id: string }[] } }>(page, 'GET', `/escalation-policies/${policyId}`);
    assert.deepEqual(policy.services.map((s) => s.id), [service.id]);
  });

  test('deleting a policy in use is refused, naming the service', async () => {
    needPolicy();
    await page.goto(`/escalation/${policyId}`);
    await page.getByRole('heading', { level: 1, name: POLICY }).waitFor();
    await page.getByRole('button', { name: 'Delete policy' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete policy' }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'Could not delete the policy.' });
    await problem.waitFor();
    assert.match(await problem.innerText(), new RegExp(`used by "${SERVICE}"`));
    await problem.getByRole('link', { name: SERVICE }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/escalation/${policyId}`);
    dropExpected(409);
    const listed = await page.request.get(`/api/v1/escalation-policies/${policyId}`);
    assert.equal(listed.status(), 200, 'the policy is still there');
  });

  test("an alert opens an incident; its Paging section shows the escalation and the unreachable on-call person", async () => {
    needPolicy();
    await postJson(baseUrl, '/v2/enqueue', { routing_key: service.key, event_action: 'trigger', dedup_key: 'cart-500', payload: { summary: 'Cart returns 500', source: 'checkout-1', severity: 'critical' } });
    const { incidents } = await api<{ incidents: { number: number }[] }>(page, 'GET', `/incidents?serviceId=${service.id}`);
    assert.equal(incidents.length, 1);
    incidentNumber = incidents[0]!.number;

    await page.goto(`/incidents/${incidentNumber}`);
    const paging = region('Paging');
    await paging.getByText(`Escalating through ${POLICY}`).waitFor();
    const row = paging.getByRole('row').filter({ has: page.getByRole('rowheader', { name: carol.name }) });
    await refreshUntil(paging.getByRole('button', { name: 'Refresh' }), row);
    const text = await row.innerText();
    assert.match(text, /Failed/);
    assert.match(text, /unreachable/);
    assert.match(await row.locator('td[data-label="Level"]').innerText(), /^1$/);
    assert.match(await row.locator('td[data-label="Method"]').innerText(), /none/);
    assert.match(await paging.getByRole('list', { name: 'Escalation steps' }).innerText(), /level 1 paged Carol Onca/);
    assert.equal(await paging.getByRole('row').filter({ hasText: dan.name }).count(), 0, 'level 2 has not fired yet');
    assert.match(await paging.locator('[data-escalation-state="running"]').innerText(), /Next: level 2, pass 1, at /);
    const created = await row.locator('td[data-label="Created"] time').getAttribute('datetime');
    assert.ok(created && Date.parse(created) > Date.now() - 5 * 60_000, `a created time: ${created}`);
    await paging.getByRole('link', { name: POLICY }).waitFor();
    await page.screenshot({ path: '/tmp/vigil-escalation-incident.png', fullPage: true });
  });

  test('observers see policies, the preview and paging with no edit controls', async () => {
    needPolicy();
    await api(page, 'POST', '/users', { email: OBSERVER_EMAIL, name: 'Olive Observer', role: 'observer', password: OBSERVER_PASSWORD });
    const observer = await openSecondPerson(session!, OBSERVER_EMAIL, OBSERVER_PASSWORD);
    try {
      const view = observer.page;
      const errors = observer.errors;

      await view.goto('/escalation');
      const listed = view.getByRole('row').filter({ has: view.getByRole('link', { name: POLICY, exact: true }) });
      await listed.waitFor();
      assert.match(await listed.innerText(), /2 levels/);
      assert.match(await listed.innerText(), new RegExp(SERVICE));
      assert.equal(await view.getByRole('link', { name: 'New policy' }).count(), 0);

      await view.goto(`/escalation/${policyId}`);
      await view.getByRole('heading', { level: 1, name: POLICY }).waitFor();
      await view.getByRole('list', { name: 'Levels now' }).getByText(/Carol Onca/).waitFor();
      assert.equal(await view.getByRole('link', { name: 'Edit policy' }).count(), 0);
      assert.equal(await view.getByRole('button', { name: 'Delete policy' }).count(), 0);
      assert.equal(await view.locator('main form').count(), 0);

      await view.goto(`/escalation/${policyId}/edit`);
      await view.getByText('Observers cannot change escalation policies.').waitFor();
      assert.equal(await view.locator('main form').count(), 0);

      await view.goto(`/services/${service.id}`);
      const section = view.getByRole('region', { name: 'Escalation policy', exact: true });
      await section.getByRole('link', { name: POLICY }).waitFor();
      assert.equal(await section.getByRole('combobox').count(), 0, 'no policy selector');
      assert.equal(await section.getByRole('button').count(), 0);

      await view.goto(`/incidents/${incidentNumber}`);
      await view.getByRole('region', { name: 'Paging', exact: true }).getByRole('rowheader', { name: carol.name }).waitFor();
      assert.equal(await view.getByRole('region', { name: 'Respond', exact: true }).count(), 0, 'no incident actions for observers');
      assert.deepEqual(errors, []);
    } finally {
      await observer.close();
    }
  });

  test('editing reorders the levels; the running escalation keeps its snapshot', async () => {
    needPolicy();
    assert.ok(incidentNumber, 'no incident');
    await page.goto(`/escalation/${policyId}`);
    await page.getByRole('link', { name: 'Edit policy' }).click();
    await page.getByRole('heading', { level: 1, name: `Edit ${POLICY}` }).waitFor();
    const form = page.locator('main form');
    assert.equal(await form.getByRole('group', { name: 'Level 1', exact: true }).getByLabel('Delay (minutes)').inputValue(), '10');
    await form.getByLabel('Repeat').fill('1');
    await form.getByLabel('Acknowledgement timeout (minutes)').fill('30');
    await form.getByRole('group', { name: 'Level 2', exact: true }).getByRole('button', { name: 'Move level 2 up' }).click();
    // A target deleted while the form is open: the server's error lands beside that target.
    const schedLevel = form.getByRole('group', { name: 'Level 2', exact: true });
    await schedLevel.getByLabel('Add a target to level 2').selectOption({ label: SPARE });
    await schedLevel.getByRole('button', { name: 'Add to level 2' }).click();
    const gone = await page.request.delete(`/api/v1/schedules/${spareId}`);
    assert.equal(gone.status(), 204, await gone.text());
    await form.getByRole('button', { name: 'Save changes' }).click();
    const spareRow = schedLevel.getByRole('list', { name: 'Targets of level 2' }).getByRole('listitem').filter({ hasText: SPARE });
    await spareRow.locator('.field-error').waitFor();
    assert.equal(await spareRow.locator('.field-error').getAttribute('data-field'), 'levels.1.targets.1.id');
    assert.match(await spareRow.locator('.field-error').innerText(), /no such schedule/);
    assert.match(await page.getByRole('alert').filter({ hasText: 'highlighted' }).innerText(), /Please correct the highlighted fields/);
    dropExpected(400);
    await spareRow.getByRole('button', { name: `Remove ${SPARE} from level 2` }).click();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: POLICY }).waitFor();
    const levels = region('Levels');
    await levels.getByText('Runs through the levels 2 times in all').waitFor();
    assert.match(await levels.innerText(), /Version 2/);
    assert.match(await levels.innerText(), /acknowledged but not resolved within 30 min is triggered again/);
    const items = levels.locator('ol.policy-levels > li');
    assert.match(await items.nth(0).innerText(), /Level 1 · Round-robin · then 5 min[\s\S]*Person: Dan Backup/);
    assert.match(await items.nth(1).innerText(), /Level 2 · Everyone · then 10 min to the next pass[\s\S]*Schedule: Checkout primary/);
    const preview = region('Who would be paged now').getByRole('list', { name: 'Levels now' });
    await preview.getByText('Level 1: Dan Backup').waitFor();

    await page.goto(`/incidents/${incidentNumber}`);
    await region('Paging').getByText(`Escalating through ${POLICY} (version 1)`).waitFor();
  });

  test('a responder escalates, acknowledges and reassigns from the incident page; the Paging section tells the story', async () => {
    needPolicy();
    assert.ok(incidentNumber, 'no incident');
    await page.goto(`/incidents/${incidentNumber}`);
    const respond = region('Respond');
    const paging = region('Paging');
    const steps = paging.getByRole('list', { name: 'Escalation steps' });
    await respond.getByRole('button', { name: 'Escalate now' }).click();
    await respond.getByText('Escalated: the next level was paged now.').waitFor();
    await steps.getByText(/level 2 paged Dan Backup \(by hand: .+, escalate now\)/).waitFor();
    await paging.getByText(/Stopped .*: completed\./).waitFor(); // level 2 was the snapshot's last level

    await respond.getByRole('button', { name: 'Acknowledge' }).click();
    await respond.getByText('Acknowledged.').waitFor();
    await page.locator('.alert-meta').getByText('Acknowledged').waitFor();
    assert.equal(await respond.getByRole('button', { name: 'Acknowledge' }).count(), 0, 'nothing left to acknowledge');

    await respond.getByRole('button', { name: 'Reassign…' }).click();
    await respond.getByLabel('Reassign to').selectOption({ label: carol.name });
    await respond.getByRole('button', { name: 'Reassign', exact: true }).click();
    await respond.getByText('Reassigned: the escalation starts again on them now.').waitFor();
    await steps.getByText(`reassigned to ${carol.name} by`).waitFor();
    await page.locator('.alert-meta').getByText('Triggered').waitFor();
    await paging.getByText(`Reassigned to ${carol.name}:`).waitFor();
    await paging.getByText('started again once').waitFor();
  });

  test('works at phone width', async () => {
    needPolicy();
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      // Each page with what shows once it has loaded (the incident page streams, so never goes idle).
      const pages: [string, Locator][] = [
        ['/escalation', page.getByRole('link', { name: POLICY, exact: true })],
        [`/escalation/${policyId}`, page.getByRole('list', { name: 'Timeline' })],
        [`/escalation/${policyId}/edit`, page.getByRole('group', { name: 'Level 2', exact: true })],
        [`/services/${service.id}`, region('Escalation policy').getByRole('combobox')],
        [`/incidents/${incidentNumber}`, region('Paging').getByRole('rowheader', { name: carol.name })],
      ];
      for (const [path, loaded] of pages) {
        await page.goto(path);
        await loaded.first().waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `no horizontal scrolling on ${path} (page is ${width}px wide)`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  test('no errors in the browser console', () => {
    assert.deepEqual(assetFailures, [], 'every file of the UI loaded');
    assert.deepEqual(consoleErrors, []);
  });
});
