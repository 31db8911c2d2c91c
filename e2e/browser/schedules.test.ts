// Browser test of the On-call screens against the real server: create a follow-the-sun schedule
// in the form (two layers in zones without DST, each with a daily window) and check the live
// preview's next handoffs against times worked out here from the zones' fixed offsets; the schedule
// page's timeline against GET /shifts over the same range; a one-click override changes who
// GET /on-call answers, and deleting it changes it back; a schedule with uncovered time is flagged
// in the list and on its page; an invalid edit shows its field errors (the browser's and the
// server's); a shift swap asked for and accepted by two other people; observers see everything
// with no controls; phone width; no console errors.
//
// Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`); skipped without it.
// Run: node_modules/.bin/node --test e2e/browser/schedules.test.ts
// Screenshots land in /tmp/vigil-schedules-*.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { api, type BrowserSession, openBrowserSession, skipWithoutChromium, UI_TIMEOUT_MS, signIn as signInAdmin, openSecondPerson } from '../support/browser.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'browser-test-Passw0rd-long';
const OBSERVER_EMAIL = 'observer@example.com';
const OBSERVER_PASSWORD = 'observer-test-Passw0rd-long';
/** The viewer's zone: +05:30 all year, so a time shown in UTC or in a layer's zone is plainly wrong. */
const VIEWER_ZONE = 'Asia/Kolkata';
const VIEWER_OFFSET_MS = 5.5 * 3_600_000;
const SCHEDULE = 'Follow the sun';
const GAPPY = 'Office hours';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * The follow-the-sun layers, in zones without DST: "APAC" hands off daily at 09:00 in Tokyo (+09:00,
 * so 00:00 UTC) and covers 09:00–21:00 there (00:00–12:00 UTC); "Americas" hands off daily at 07:00 in
 * Bogotá (−05:00, so 12:00 UTC) and covers 07:00–19:00 there (12:00–24:00 UTC). Both anchors are on
 * 5 January 2026, each layer's first participant starting then.
 */
const ANCHOR_DAY_UTC = Date.UTC(2026, 0, 5);

const skip = skipWithoutChromium;

interface UserOut {
  id: string;
  name: string;
}
interface ShiftOut {
  user: UserOut;
  start: string;
  end: string;
  source: { type: string; layerId?: string };
}
interface ShiftsOut {
  shifts: ShiftOut[];
  gaps: { start: string; end: string }[];
}
interface ScheduleOut {
  id: string;
  name: string;
  timeZone: string;
  updatedAt: string;
  hasGapsNext14Days?: boolean;
  layers: { id: string; name: string; participants: string[]; rotation: { unit: string; length: number }; handoff: { date: string; time: string; timeZone?: string }; restrictions?: unknown[] }[];
}

/** Who the two layers put on call from `start` (00:00 or 12:00 UTC), by the rules written out above. */
function expectedAt(start: number, alice: UserOut, bruno: UserOut): UserOut {
  const day = Math.floor(start / DAY) * DAY;
  const k = Math.round((day - ANCHOR_DAY_UTC) / DAY);
  const apac = start === day;
  const order = apac ? [alice, bruno] : [bruno, alice];
  return order[((k % 2) + 2) % 2]!;
}

/** The wall clock in a fixed-offset zone, as "HH:mm". */
const clock = (ms: number, offset: number) => new Date(ms + offset).toISOString().slice(11, 16);
/** As an <input type="datetime-local"> value in a fixed-offset zone. */
const localInput = (ms: number, offset: number) => new Date(ms + offset).toISOString().slice(0, 16);

describe('web UI: on-call schedules', { skip }, () => {
  let session: BrowserSession | undefined;
  let baseUrl = '';
  let page: Page;
  let consoleErrors: string[] = [];
  let assetFailures: string[] = [];
  let alice: UserOut;
  let bruno: UserOut;
  let scheduleId = '';
  let ready = false;
  const needSetup = () => assert.ok(ready, 'setup failed: not signed in or no users');
  const needSchedule = () => assert.ok(scheduleId, 'the schedule was not created');
  const region = (name: string) => page.getByRole('region', { name, exact: true });

  const findSchedule = async (name: string): Promise<ScheduleOut | undefined> => {
    const { schedules } = await api<{ schedules: ScheduleOut[] }>(page, 'GET', '/schedules');
    return schedules.find((s) => s.name === name);
  };

  /** The rows of the schedule page's shift table, as the API would spell them. */
  const tableRows = async (table: Locator) =>
    table.locator('tbody tr').evaluateAll((rows) =>
      rows.map((row) => {
        const times = [...row.querySelectorAll('time')].map((t) => t.getAttribute('datetime'));
        const cells = row.querySelectorAll('th, td');
        return {
          kind: row.getAttribute('data-kind'),
          who: (cells[0]?.textContent ?? '').trim(),
          start: times[0],
          end: times[1],
          source: (cells[3]?.textContent ?? '').trim(),
        };
      }),
    );

  const apiRows = (answer: ShiftsOut, layerNames: Record<string, string>) =>
    [
      ...answer.shifts.map((s) => ({
        kind: 'shift',
        who: s.user.name,
        start: s.start,
        end: s.end,
        source: s.source.type === 'layer' ? `Layer “${layerNames[s.source.layerId!]}”` : s.source.type === 'override' ? 'Override' : 'Temporary schedule',
      })),
      ...answer.gaps.map((g) => ({ kind: 'gap', who: '⚠ Nobody on call', start: g.start, end: g.end, source: 'Gap' })),
    ].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));

  before(async () => {
    session = await openBrowserSession({ name: 'schedules', env: { VIGIL_ADMIN_EMAIL: ADMIN_EMAIL, VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    ({ baseUrl, page, consoleErrors, assetFailures } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('setup: sign in, set a time zone, create two users through the API', async () => {
    await signInAdmin(session!, ADMIN_EMAIL, ADMIN_PASSWORD);
    assert.deepEqual(consoleErrors.splice(0), []);
    const profile = await page.request.patch('/api/v1/me', { data: { timeZone: VIEWER_ZONE } });
    assert.equal(profile.status(), 200, await profile.text());
    ({ user: alice } = await api<{ user: UserOut }>(page, 'POST', '/users', { email: 'alice@example.com', name: 'Alice Ito', role: 'responder', password: 'alice-test-Passw0rd-long' }));
    ({ user: bruno } = await api<{ user: UserOut }>(page, 'POST', '/users', { email: 'bruno@example.com', name: 'Bruno Díaz', role: 'responder', password: 'bruno-test-Passw0rd-long' }));
    ready = true;
  });

  test('the web bundle has the core calculator and no other server code', async () => {
    // "Preview equals paging": the form imports the pure files of src/core/schedules, not index.ts
    // (which re-exports the store verbs). The source map lists every file that went in.
    const html = await (await fetch(`${baseUrl}/`)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, 'index.html names its script');
    const map = (await (await fetch(`${baseUrl}${script}.map`)).json()) as { sources: string[] };
    const server = map.sources.filter((source) => !source.includes('node_modules/') && !/(^|\/)web\/src\/|^\.\.\/\.\.\/src\//.test(source)).map((source) => source.replace(/^(\.\.\/)+/, ''));
    assert.deepEqual(server.sort(), ['src/core/schedules/schedule-math.ts', 'src/core/schedules/schedule.ts', 'src/core/schedules/zone-offsets.ts']);
  });

  test('the navigation leads to the On-call page, which is no longer a placeholder', async () => {
    needSetup();
    await page.goto('/services');
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'On-call' }).click();
    await page.getByRole('heading', { level: 1, name: 'On-call' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/on-call');
    await region('Who’s on call now').getByText('There are no schedules yet.').waitFor();
    assert.equal(await page.getByText('Not available yet').count(), 0);
  });

  test('creates a follow-the-sun schedule; the live preview shows the next handoffs', async () => {
    needSetup();
    await page.goto('/on-call');
    await page.getByRole('link', { name: 'New schedule' }).click();
    await page.getByRole('heading', { level: 1, name: 'New schedule' }).waitFor();
    const form = page.locator('main form');
    await form.getByLabel('Name', { exact: true }).fill(SCHEDULE);
    await form.getByLabel('Time zone', { exact: true }).selectOption('Asia/Tokyo');

    const layer1 = form.getByRole('group', { name: 'Layer 1', exact: true });
    await layer1.getByLabel('Layer name').fill('APAC');
    for (const who of [alice, bruno]) {
      await layer1.getByLabel('Add a person to layer 1').selectOption({ label: who.name });
      await layer1.getByRole('button', { name: 'Add to layer 1' }).click();
    }
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'layers.0.participants', 'after adding a person, focus is back on the picker');
    await layer1.getByLabel('Rotation unit').selectOption('day');
    await layer1.getByLabel('Shift length').fill('1');
    await layer1.getByLabel('First handoff date').fill('2026-01-05');
    await layer1.getByLabel('Handoff time').fill('09:00');
    await layer1.getByRole('button', { name: 'Add restriction to layer 1' }).click();
    await layer1.getByLabel('Start of restriction 1 of layer 1').fill('09:00');
    await layer1.getByLabel('End of restriction 1 of layer 1').fill('21:00');

    await form.getByRole('button', { name: 'Add layer' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'layers.1.name'); // the new layer's name has focus
    const layer2 = form.getByRole('group', { name: 'Layer 2', exact: true });
    await layer2.getByLabel('Layer name').fill('Americas');
    for (const who of [bruno, alice]) {
      await layer2.getByLabel('Add a person to layer 2').selectOption({ label: who.name });
      await layer2.getByRole('button', { name: 'Add to layer 2' }).click();
    }
    await layer2.getByLabel('Rotation unit').selectOption('day');
    await layer2.getByLabel('First handoff date').fill('2026-01-05');
    await layer2.getByLabel('Handoff time').fill('07:00');
    await layer2.getByLabel('Layer time zone').selectOption('America/Bogota');
    await layer2.getByRole('button', { name: 'Add restriction to layer 2' }).click();
    await layer2.getByLabel('Start of restriction 1 of layer 2').fill('07:00');
    await layer2.getByLabel('End of restriction 1 of layer 2').fill('19:00');

    // The next handoffs: every 00:00 and 12:00 UTC from now, alternating between the layers.
    const preview = region('Preview');
    const items = preview.getByRole('list', { name: 'Next handoffs' }).getByRole('listitem');
    await items.nth(9).waitFor();
    const now = Date.now();
    const expected = Array.from({ length: 10 }, (_, i) => {
      const start = (Math.floor(now / (12 * HOUR)) + 1 + i) * 12 * HOUR;
      return { start: new Date(start).toISOString(), who: expectedAt(start, alice, bruno).name };
    });
    const shown = await items.evaluateAll((lis) => lis.map((li) => ({ start: li.querySelector('time')?.getAttribute('datetime'), who: li.querySelector('.preview-person')?.textContent })));
    assert.deepEqual(shown, expected);
    // Shown in the viewer's zone, with the schedule's (Tokyo) wall clock beside it.
    const first = Date.parse(expected[0]!.start);
    const text = await items.first().innerText();
    assert.ok(text.includes(clock(first, VIEWER_OFFSET_MS)), `"${text}" shows ${clock(first, VIEWER_OFFSET_MS)} in ${VIEWER_ZONE}`);
    assert.ok(text.includes(`${clock(first, 9 * HOUR)} Asia/Tokyo`), `"${text}" shows the Tokyo time too`);
    assert.match(await preview.innerText(), /Coverage of the next 14 days: 100%/);
    await page.screenshot({ path: '/tmp/vigil-schedules-form.png', fullPage: true });

    // The preview follows the form as it changes: a 4-hour window in APAC leaves gaps.
    await layer1.getByLabel('End of restriction 1 of layer 1').fill('13:00');
    await preview.getByText(/gaps with nobody on call/).waitFor();
    await layer1.getByLabel('End of restriction 1 of layer 1').fill('21:00');
    await preview.getByText(/gaps with nobody on call/).waitFor({ state: 'detached' });

    await form.getByRole('button', { name: 'Create schedule' }).click();
    await page.getByRole('heading', { level: 1, name: SCHEDULE }).waitFor();
    const saved = await findSchedule(SCHEDULE);
    assert.ok(saved, 'the schedule exists');
    scheduleId = saved.id;
    assert.equal(new URL(page.url()).pathname, `/on-call/${scheduleId}`);
    assert.equal(saved.timeZone, 'Asia/Tokyo');
    assert.deepEqual(
      saved.layers.map((l) => [l.name, l.participants, l.rotation, l.handoff, l.restrictions]),
      [
        ['APAC', [alice.id, bruno.id], { unit: 'day', length: 1 }, { date: '2026-01-05', time: '09:00' }, [{ kind: 'daily', start: '09:00', end: '21:00' }]],
        ['Americas', [bruno.id, alice.id], { unit: 'day', length: 1 }, { date: '2026-01-05', time: '07:00', timeZone: 'America/Bogota' }, [{ kind: 'daily', start: '07:00', end: '19:00' }]],
      ],
    );
    // What the server pages with agrees with the preview.
    const { shifts } = await api<ShiftsOut>(page, 'GET', `/schedules/${scheduleId}/shifts?from=${expected[0]!.start}&to=${expected[9]!.start}`);
    assert.deepEqual(
      shifts.map((s) => ({ start: s.start, who: s.user.name })),
      expected.slice(0, 9),
    );
  });

  test('layers are reordered and removed from the keyboard; weekly windows have days', async () => {
    needSetup();
    await page.goto('/on-call/new');
    const form = page.locator('main form');
    const layer = (n: number) => form.getByRole('group', { name: `Layer ${n}`, exact: true });
    await layer(1).getByLabel('Layer name').fill('First');
    await form.getByRole('button', { name: 'Add layer' }).click();
    await layer(2).getByLabel('Layer name').fill('Second');
    await layer(2).getByRole('button', { name: 'Move layer 2 up' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Move layer 1 down'); // focus stays with the moved layer
    assert.equal(await layer(1).getByLabel('Layer name').inputValue(), 'Second');
    assert.equal(await layer(2).getByLabel('Layer name').inputValue(), 'First');

    await layer(1).getByRole('button', { name: 'Add restriction to layer 1' }).click();
    await layer(1).getByLabel('Kind of restriction 1 of layer 1').selectOption('weekly');
    await layer(1).getByLabel('Start day of restriction 1 of layer 1').selectOption({ label: 'Saturday' });
    await layer(1).getByLabel('End day of restriction 1 of layer 1').selectOption({ label: 'Monday' });
    await layer(1).getByLabel('Start of restriction 1 of layer 1').fill('08:00');
    await layer(1).getByLabel('End of restriction 1 of layer 1').fill('08:00');
    assert.equal(await layer(1).getByLabel('Start day of restriction 1 of layer 1').inputValue(), '6');

    await layer(2).getByRole('button', { name: 'Remove layer 2' }).focus();
    await page.keyboard.press('Enter');
    assert.equal(await form.getByRole('group', { name: 'Layer 2', exact: true }).count(), 0);
    await page.waitForFunction(() => document.activeElement?.textContent === 'Add layer');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { level: 1, name: 'On-call' }).waitFor();
  });

  test('the timeline shows the same shifts as GET /shifts over the same range, and moves by two weeks', async () => {
    needSchedule();
    await page.goto(`/on-call/${scheduleId}`);
    const section = region('Final schedule');
    const table = section.locator('table.shift-table');
    await table.waitFor();
    const times = section.locator('p time');
    const from = (await times.nth(0).getAttribute('datetime'))!;
    const to = (await times.nth(1).getAttribute('datetime'))!;
    // The range starts at midnight in the viewer's zone: 18:30 UTC the day before.
    assert.equal(clock(Date.parse(from), VIEWER_OFFSET_MS), '00:00');
    assert.equal(Date.parse(to) - Date.parse(from), 14 * DAY);
    assert.ok(Date.parse(from) <= Date.now() && Date.now() < Date.parse(from) + DAY, 'the range starts today');
    const layerNames = { 'layer-1': 'APAC', 'layer-2': 'Americas' };
    const answer = await api<ShiftsOut>(page, 'GET', `/schedules/${scheduleId}/shifts?from=${from}&to=${to}`);
    assert.ok(answer.shifts.length >= 26, `about two weeks of twice-daily shifts (${answer.shifts.length})`);
    assert.deepEqual(await tableRows(table), apiRows(answer, layerNames));
    // Each layer has its own colour class and its text; the day bars carry the names too.
    const classes = await table.locator('tbody tr .seg-swatch').evaluateAll((els) => [...new Set(els.map((e) => e.className))]);
    assert.ok(classes.some((c) => c.includes('seg-layer-0')) && classes.some((c) => c.includes('seg-layer-1')), classes.join(', '));
    assert.ok((await section.locator('.day-bars').innerText()).includes('Alice Ito'));
    // Each layer's own rotation, on request: a lane per layer under every day.
    await section.getByLabel(/Also show each layer’s own rotation/).check();
    await section.locator('.day-lane').nth(27).waitFor();
    assert.equal(await section.locator('.day-lane').count(), 28);
    assert.deepEqual([...new Set(await section.locator('.lane-label').allInnerTexts())], ['APAC', 'Americas']);
    await page.screenshot({ path: '/tmp/vigil-schedules-page.png', fullPage: true });

    await section.getByRole('button', { name: 'Next 2 weeks' }).click();
    await page.waitForFunction((f) => document.querySelector('#timeline-heading + p time')?.getAttribute('datetime') !== f, from);
    const nextFrom = (await times.nth(0).getAttribute('datetime'))!;
    const nextTo = (await times.nth(1).getAttribute('datetime'))!;
    assert.equal(nextFrom, to);
    const nextAnswer = await api<ShiftsOut>(page, 'GET', `/schedules/${scheduleId}/shifts?from=${nextFrom}&to=${nextTo}`);
    await page.waitForFunction((start) => document.querySelector('table.shift-table tbody tr time')?.getAttribute('datetime') === start, nextAnswer.shifts[0]!.start);
    assert.deepEqual(await tableRows(table), apiRows(nextAnswer, layerNames));
  });

  test('one click on a shift overrides it; GET /on-call inside it answers the override, until it is deleted', async () => {
    needSchedule();
    await page.goto(`/on-call/${scheduleId}`);
    const section = region('Final schedule');
    const table = section.locator('table.shift-table');
    await table.waitFor();
    // A click on a bar opens the form too, with focus in it.
    await section.locator('.day-bars .seg-layer.seg-clickable').last().click();
    const fromBar = section.getByRole('region', { name: 'Override this shift' });
    await fromBar.waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'userId');
    await fromBar.getByRole('button', { name: 'Cancel' }).click();
    await fromBar.waitFor({ state: 'detached' });

    // The first shift that starts in the future (so the whole of it can be overridden).
    const rows = await tableRows(table);
    const index = rows.findIndex((r) => r.kind === 'shift' && Date.parse(r.start!) > Date.now());
    const shift = rows[index]!;
    const other = shift.who === alice.name ? bruno : alice;
    await table.locator('tbody tr').nth(index).getByRole('button', { name: 'Override this shift' }).click();
    const form = section.getByRole('region', { name: 'Override this shift' });
    assert.equal(await form.getByLabel('From', { exact: true }).inputValue(), localInput(Date.parse(shift.start!), VIEWER_OFFSET_MS));
    assert.equal(await form.getByLabel('To', { exact: true }).inputValue(), localInput(Date.parse(shift.end!), VIEWER_OFFSET_MS));
    await form.getByLabel('On call instead').selectOption({ label: other.name });
    await form.getByLabel('Note').fill('covering');
    await form.getByRole('button', { name: 'Add override' }).click();
    await page.getByRole('status').filter({ hasText: `Added an override: ${other.name} is on call instead.` }).waitFor();

    const mid = new Date((Date.parse(shift.start!) + Date.parse(shift.end!)) / 2).toISOString();
    const onCall = await api<{ onCall: { user: UserOut; source: { type: string } }[] }>(page, 'GET', `/schedules/${scheduleId}/on-call?at=${mid}`);
    assert.deepEqual(onCall.onCall.map((o) => [o.user.id, o.source.type]), [[other.id, 'override']]);
    // The timeline shows it as an override; the list of upcoming overrides has it.
    const row = table.locator('tbody tr').nth(index);
    await row.getByText('Override', { exact: true }).waitFor();
    assert.match(await row.innerText(), new RegExp(other.name));
    const overrides = region('Upcoming overrides');
    const overrideRow = overrides.getByRole('row').filter({ hasText: 'covering' });
    await overrideRow.waitFor();
    assert.match(await overrideRow.innerText(), new RegExp(other.name));
    await page.screenshot({ path: '/tmp/vigil-schedules-override.png', fullPage: true });

    await overrideRow.getByRole('button', { name: /^Delete override/ }).click();
    await page.getByRole('dialog', { name: 'Delete this override?' }).getByRole('button', { name: 'Delete override' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted the override.' }).waitFor();
    await overrides.getByText('No overrides in the next 14 days.').waitFor();
    const back = await api<{ onCall: { user: UserOut; source: { type: string } }[] }>(page, 'GET', `/schedules/${scheduleId}/on-call?at=${mid}`);
    assert.deepEqual(back.onCall.map((o) => [o.user.name, o.source.type]), [[shift.who, 'layer']]);
  });

  test('a schedule with uncovered time is flagged in the list and on its page', async () => {
    needSchedule();
    const { schedule } = await api<{ schedule: ScheduleOut }>(page, 'POST', '/schedules', {
      name: GAPPY,
      timeZone: 'UTC',
      layers: [{ name: 'Day shift', participants: [alice.id], rotation: { unit: 'week', length: 1 }, handoff: { date: '2026-01-05', time: '09:00' }, restrictions: [{ kind: 'daily', start: '09:00', end: '17:00' }] }],
    });
    await page.goto('/on-call');
    const gappy = page.getByRole('row').filter({ has: page.getByRole('link', { name: GAPPY, exact: true }) });
    await gappy.waitFor();
    assert.match(await gappy.innerText(), /Gaps: time with nobody on call/);
    assert.match(await gappy.innerText(), /UTC/);
    const covered = page.getByRole('row').filter({ has: page.getByRole('link', { name: SCHEDULE, exact: true }) });
    assert.match(await covered.innerText(), /Fully covered/);
    assert.match(await covered.innerText(), /Asia\/Tokyo/);
    // Who is on call now: the follow-the-sun schedule always has someone, until a handoff.
    const now = region('Who’s on call now');
    const sunNow = now.getByRole('listitem', { name: SCHEDULE, exact: true });
    await sunNow.waitFor();
    const currentStart = Math.floor(Date.now() / (12 * HOUR)) * 12 * HOUR;
    const current = expectedAt(currentStart, alice, bruno);
    // Until the next handoff to someone else: a person may have two shifts in a row (one per layer).
    let next = currentStart + 12 * HOUR;
    while (expectedAt(next, alice, bruno).id === current.id) next += 12 * HOUR;
    const until = new Date(next).toISOString();
    assert.match(await sunNow.innerText(), new RegExp(`${current.name} until`));
    assert.equal(await sunNow.locator('time').getAttribute('datetime'), until);

    await gappy.getByRole('link', { name: GAPPY }).click();
    await page.getByRole('heading', { level: 1, name: GAPPY }).waitFor();
    const coverage = region('Next 14 days');
    await coverage.getByText(/gaps: nobody is on call, so nobody would be paged/).waitFor();
    assert.match(await coverage.innerText(), /Someone is on call for 33\.\d% of the next 14 days/);
    const gapRows = region('Final schedule').locator('tbody tr[data-kind="gap"]');
    await gapRows.first().waitFor();
    assert.match(await gapRows.first().innerText(), /Nobody on call[\s\S]*Gap/);
    const { schedule: detail } = await api<{ schedule: { gaps: unknown[] } }>(page, 'GET', `/schedules/${schedule.id}`);
    assert.ok(detail.gaps.length >= 13);
    await page.screenshot({ path: '/tmp/vigil-schedules-gaps.png', fullPage: true });
  });

  test('an invalid edit shows the field errors, from the browser and from the server', async () => {
    needSchedule();
    const before = (await findSchedule(SCHEDULE))!;
    await page.goto(`/on-call/${scheduleId}`);
    await page.getByRole('link', { name: 'Edit schedule' }).click();
    await page.getByRole('heading', { level: 1, name: `Edit ${SCHEDULE}` }).waitFor();
    const form = page.locator('main form');
    const layer1 = form.getByRole('group', { name: 'Layer 1', exact: true });
    const length = layer1.getByLabel('Shift length');
    assert.equal(await length.inputValue(), '1');
    await length.fill('0');
    // Checked as you type, by the same rules as the server.
    await layer1.getByText('must be a whole number from 1 to 365 for day rotations').waitFor();
    assert.equal(await length.getAttribute('aria-invalid'), 'true');
    await region('Preview').getByText('Fix the highlighted fields to see a preview.').waitFor();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'layers.0.rotation.length');
    assert.equal(new URL(page.url()).pathname, `/on-call/${scheduleId}/edit`, 'nothing was sent');
    assert.equal((await findSchedule(SCHEDULE))!.updatedAt, before.updatedAt);

    // A name another schedule has: only the server knows, and its answer lands next to the field.
    await length.fill('1');
    await form.getByLabel('Name', { exact: true }).fill(GAPPY);
    const errorsBefore = consoleErrors.length;
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByText('is already in use').waitFor();
    assert.equal(await form.getByLabel('Name', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.deepEqual(consoleErrors.splice(errorsBefore).filter((t) => !/status of 409/.test(t)), []);
    assert.equal((await findSchedule(SCHEDULE))!.updatedAt, before.updatedAt);
    await page.screenshot({ path: '/tmp/vigil-schedules-invalid.png', fullPage: true });

    // Fixed, and only the description changed: no new layer definition starts (layersFrom stays).
    await form.getByLabel('Name', { exact: true }).fill(SCHEDULE);
    await form.getByLabel('Description').fill('Tokyo by day, Bogotá by night');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: SCHEDULE }).waitFor();
    await page.getByText('Tokyo by day, Bogotá by night').waitFor();
    const after = (await findSchedule(SCHEDULE)) as ScheduleOut & { layersFrom: string | null; description: string };
    assert.equal(after.description, 'Tokyo by day, Bogotá by night');
    assert.equal(after.layersFrom, (before as ScheduleOut & { layersFrom: string | null }).layersFrom);
  });

  /** A second signed-in browser context for `email`, with its own console-error list. */
  const signIn = async (email: string, password: string) => {
    const context = await session!.browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: baseUrl });
    const login = await context.request.post('/api/v1/auth/login', { data: { email, password } });
    assert.equal(login.status(), 200, await login.text());
    const view = await context.newPage();
    view.setDefaultTimeout(UI_TIMEOUT_MS);
    const errors: string[] = [];
    view.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    view.on('pageerror', (error) => errors.push(String(error)));
    return { context, view, errors };
  };

  test('a swap: Alice asks Bruno to take her next shift, Bruno accepts, and he is on call for it', async () => {
    needSchedule();
    const a = await signIn('alice@example.com', 'alice-test-Passw0rd-long');
    const b = await signIn('bruno@example.com', 'bruno-test-Passw0rd-long');
    try {
      await a.view.goto(`/on-call/${scheduleId}`);
      const table = a.view.locator('table.shift-table');
      await table.locator('tbody tr').first().waitFor();
      const rows = await tableRows(table);
      const index = rows.findIndex((r) => r.kind === 'shift' && r.who === alice.name && Date.parse(r.start!) > Date.now());
      assert.ok(index >= 0, 'Alice has a shift coming up');
      const shift = rows[index]!;
      // Only her own shifts offer a swap.
      const bobsRow = rows.findIndex((r) => r.kind === 'shift' && r.who === bruno.name && Date.parse(r.start!) > Date.now());
      assert.equal(await table.locator('tbody tr').nth(bobsRow).getByRole('button', { name: 'Request a swap' }).count(), 0);
      await table.locator('tbody tr').nth(index).getByRole('button', { name: 'Request a swap' }).click();
      const form = a.view.getByRole('region', { name: 'Request a swap' });
      await form.getByLabel('Ask').selectOption({ label: bruno.name });
      await form.getByRole('button', { name: 'Send swap request' }).click();
      await a.view
        .getByRole('status')
        .filter({ hasText: `Asked ${bruno.name} to take your shift.` })
        .waitFor()
        .catch(async (error: unknown) => {
          throw new Error(`no confirmation; the form says: ${await form.innerText().catch(() => '(gone)')}`, { cause: error });
        });
      const mine = a.view.getByRole('region', { name: 'Shift swaps' }).getByRole('row').filter({ hasText: `${alice.name} asks ${bruno.name}` });
      await mine.getByText('Waiting for an answer').waitFor();
      assert.equal(await mine.getByRole('button', { name: 'Accept' }).count(), 0, 'the requester cannot accept');
      await mine.getByRole('button', { name: 'Withdraw' }).waitFor();

      await b.view.goto(`/on-call/${scheduleId}`);
      const theirs = b.view.getByRole('region', { name: 'Shift swaps' }).getByRole('row').filter({ hasText: `${alice.name} asks ${bruno.name}` });
      await theirs.getByRole('button', { name: 'Accept' }).click();
      await b.view.getByRole('status').filter({ hasText: `Accepted: ${bruno.name} takes the shift.` }).waitFor();
      await theirs.getByText('Accepted', { exact: true }).waitFor();
      const mid = new Date((Date.parse(shift.start!) + Date.parse(shift.end!)) / 2).toISOString();
      const onCall = await api<{ onCall: { user: UserOut; source: { type: string } }[] }>(page, 'GET', `/schedules/${scheduleId}/on-call?at=${mid}`);
      assert.deepEqual(onCall.onCall.map((o) => [o.user.id, o.source.type]), [[bruno.id, 'override']]);
      assert.deepEqual([...a.errors, ...b.errors], []);
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });

  test('observers see schedules, shifts and overrides with no controls', async () => {
    needSchedule();
    const start = Date.now() + 2 * DAY;
    await api(page, 'POST', `/schedules/${scheduleId}/overrides`, { userId: bruno.id, start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString(), note: 'observer can see this' });
    await api(page, 'POST', '/users', { email: OBSERVER_EMAIL, name: 'Olive Observer', role: 'observer', password: OBSERVER_PASSWORD });
    const observer = await openSecondPerson(session!, OBSERVER_EMAIL, OBSERVER_PASSWORD);
    try {
      const view = observer.page;
      const errors = observer.errors;

      await view.goto('/on-call');
      await view.getByRole('link', { name: SCHEDULE, exact: true }).first().waitFor();
      assert.equal(await view.getByRole('link', { name: 'New schedule' }).count(), 0);
      assert.equal(await view.getByRole('main').getByRole('button').count(), 0, 'no buttons on the list');

      await view.goto(`/on-call/${scheduleId}`);
      await view.getByRole('heading', { level: 1, name: SCHEDULE }).waitFor();
      await view.locator('table.shift-table tbody tr').first().waitFor();
      await view.getByRole('row').filter({ hasText: 'observer can see this' }).waitFor();
      const buttons = await view.getByRole('main').getByRole('button').allInnerTexts();
      assert.deepEqual(buttons.sort(), ['Next 2 weeks', 'Previous 2 weeks', 'Today'], 'only moving through time');
      assert.equal(await view.getByRole('link', { name: 'Edit schedule' }).count(), 0);
      assert.equal(await view.locator('main form').count(), 0);
      await view.locator('.day-bars .seg-layer').first().click();
      assert.equal(await view.locator('main form').count(), 0, 'clicking a shift opens nothing');

      await view.goto(`/on-call/${scheduleId}/edit`);
      await view.getByText('Observers cannot change schedules.').waitFor();
      assert.equal(await view.locator('main form').count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await observer.close();
    }
  });

  test('works at phone width', async () => {
    needSchedule();
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const path of ['/on-call', `/on-call/${scheduleId}`, `/on-call/${scheduleId}/edit`]) {
        await page.goto(path);
        await page.locator('main h2, main form').first().waitFor();
        await page.waitForLoadState('networkidle');
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `no horizontal scrolling on ${path} (page is ${width}px wide)`);
      }
      await page.screenshot({ path: '/tmp/vigil-schedules-phone.png', fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  test('no errors in the browser console', () => {
    assert.deepEqual(assetFailures, [], 'every file of the UI loaded');
    assert.deepEqual(consoleErrors, []);
  });
});
