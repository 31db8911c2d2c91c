import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningServer, startServer } from '../server.ts';
import { assertOneLine, noFetch, vigil, vigilJson } from './testing/run-cli.ts';

// `vigil oncall` and `vigil schedule …` against a real server started in-process (as cli.test.ts
// does). The server runs on the real clock, so the schedule is laid out from today's UTC midnight:
// a daily rotation in UTC, Ana on day 0, Ben on day 1, Ana on day 2, and so on.

const DAY = 86_400_000;
const HOUR = 3_600_000;
const PASSWORD = 'a long enough password';

describe('vigil oncall and vigil schedule against a running server', () => {
  let server: RunningServer;
  let dataDir: string;
  const adminToken = randomBytes(20).toString('hex');
  let admin: Record<string, string>;
  const env: Record<string, Record<string, string>> = {};
  const ids: Record<string, string> = {};
  const day0 = Math.floor(Date.now() / DAY) * DAY;
  const iso = (ms: number) => new Date(ms).toISOString();
  /** `Mon 2026-03-02 00:00` for an instant in UTC, as the CLI prints with --tz UTC. */
  const utc = (ms: number) => `${new Date(ms).toUTCString().slice(0, 3)} ${iso(ms).slice(0, 10)} ${iso(ms).slice(11, 16)}`;

  async function api(method: string, path: string, body?: unknown, token = adminToken): Promise<any> {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  const json = <T>(who: Record<string, string>, args: string[]) => vigilJson<T>(who, args);

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vigil-cli-schedules-'));
    server = await startServer({
      env: {
        VIGIL_DATA_DIR: dataDir,
        VIGIL_PORT: '0',
        VIGIL_HOST: '127.0.0.1',
        VIGIL_LOG_LEVEL: 'silent',
        VIGIL_BOOTSTRAP_TOKEN: adminToken,
        VIGIL_ADMIN_EMAIL: 'cli-admin@example.com',
        VIGIL_ADMIN_PASSWORD: 'correct horse battery staple',
      },
    });
    admin = { VIGIL_URL: server.url, VIGIL_TOKEN: adminToken };
    for (const [name, role, timeZone, scope] of [
      ['Ana', 'responder', 'Europe/London', 'write'],
      ['Ben', 'responder', 'America/New_York', 'write'],
      ['Carol', 'observer', 'UTC', 'read'],
    ] as const) {
      const email = `${name.toLowerCase()}@example.com`;
      ids[name] = (await api('POST', '/users', { email, name, role, timeZone, password: PASSWORD })).user.id;
      const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      const created = await fetch(`${server.url}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: `${name} cli`, scope }) });
      assert.equal(created.status, 201);
      env[name] = { VIGIL_URL: server.url, VIGIL_TOKEN: ((await created.json()) as { secret: string }).secret };
    }
    const layer = (participants: string[]) => ({
      id: 'main',
      name: 'Main',
      participants,
      rotation: { unit: 'day', length: 1 },
      handoff: { date: iso(day0).slice(0, 10), time: '00:00' },
      start: iso(day0 - 7 * DAY),
    });
    ids.primary = (await api('POST', '/schedules', { name: 'Primary', timeZone: 'UTC', layers: [layer([ids.Ana!, ids.Ben!])] })).schedule.id;
    ids.database = (await api('POST', '/schedules', { name: 'Database', timeZone: 'UTC', layers: [layer([ids.Ben!])] })).schedule.id;
    ids.empty = (await api('POST', '/schedules', { name: 'Empty', timeZone: 'UTC' })).schedule.id;
  });

  after(async () => {
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('says who is on call in every schedule at --at, in the user\'s own zone, and prints GET /oncall with --json', async () => {
    const at = day0 + 12 * HOUR;
    const r = await vigil(env.Ana!, ['oncall', '--at', iso(at)]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    // Ana's profile zone is Europe/London: the header is in London time.
    const london = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
    assert.match(lines[0]!, new RegExp(`^On call at \\w{3} \\d{4}-\\d\\d-\\d\\d ${london} (GMT|GMT\\+1):$`));
    assert.match(lines[1]!, /^SCHEDULE\s+ON CALL\s+VIA$/);
    assert.deepEqual(lines.slice(2).map((l) => l.split(/\s{2,}/)), [['Database', 'Ben', 'layer Main'], ['Empty', '(nobody)'], ['Primary', 'Ana', 'layer Main']]);

    const body = await json<{ at: string; schedules: unknown[] }>(env.Ana!, ['oncall', '--at', iso(at)]);
    assert.deepEqual(body, await api('GET', `/oncall?at=${encodeURIComponent(iso(at))}`));
  });

  it('answers for one schedule by name or id, with --tz', async () => {
    const at = day0 + DAY + 3 * HOUR;
    const byName = await json<{ scheduleId: string; onCall: { user: { name: string } }[] }>(env.Carol!, ['oncall', '--schedule', 'primary', '--at', iso(at)]);
    assert.equal(byName.scheduleId, ids.primary);
    assert.deepEqual(byName.onCall.map((c) => c.user.name), ['Ben']);
    assert.deepEqual(await json(env.Carol!, ['oncall', '--schedule', ids.primary!, '--at', iso(at)]), byName);
    const text = await vigil(env.Carol!, ['oncall', '--schedule', 'Primary', '--at', iso(at), '--tz', 'Asia/Kolkata']);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^On call at \w{3} \d{4}-\d\d-\d\d 08:30 GMT\+5:30:\n/);
    assert.match(text.out, /^Primary\s+Ben\s+layer Main$/m);
  });

  it('refuses an unreadable --at (exit 2, nothing sent) and an unknown schedule (exit 1)', async () => {
    const bad = await vigil(env.Ana!, ['oncall', '--at', 'yesterday'], { fetch: noFetch });
    assert.equal(bad.code, 2);
    assertOneLine(bad.err, /--at <when>.*'yesterday' is invalid/);
    const missing = await vigil(env.Ana!, ['oncall', '--schedule', 'nope']);
    assert.equal(missing.code, 1);
    assertOneLine(missing.err, /^vigil: NOT_FOUND no schedule is named "nope" \(vigil schedule list shows them\)\n$/);
  });

  it('lists schedules as a table and as the API document', async () => {
    const r = await vigil(env.Carol!, ['schedule', 'list']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s+NAME\s+TIME ZONE\s+LAYERS\s+NEXT 14 DAYS\s+PEOPLE$/);
    assert.match(lines[1]!, new RegExp(`^${ids.database}\\s+Database\\s+UTC\\s+1\\s+covered\\s+Ben$`));
    assert.match(lines[2]!, new RegExp(`^${ids.empty}\\s+Empty\\s+UTC\\s+0\\s+has gaps\\s+-$`));
    assert.match(lines[3]!, new RegExp(`^${ids.primary}\\s+Primary\\s+UTC\\s+1\\s+covered\\s+Ana, Ben$`));
    assert.deepEqual(await json(env.Carol!, ['schedule', 'list']), await api('GET', '/schedules'));
  });

  it('refuses schedule list with an unknown token: UNAUTHORIZED, exit 4', async () => {
    const r = await vigil({ VIGIL_URL: server.url, VIGIL_TOKEN: `vgl_${'x'.repeat(40)}` }, ['schedule', 'list']);
    assert.equal(r.code, 4);
    assert.equal(r.out, '');
    assertOneLine(r.err, /^vigil: UNAUTHORIZED /);
  });

  it('shows a schedule with its layers, gaps and final shifts in the zone asked for', async () => {
    const r = await vigil(env.Ana!, ['schedule', 'show', 'Primary', '--from', iso(day0), '--to', iso(day0 + 3 * DAY), '--tz', 'UTC']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Schedule:\s+Primary$/m);
    assert.match(r.out, new RegExp(`^ID:\\s+${ids.primary}$`, 'm'));
    assert.match(r.out, /^People:\s+Ana, Ben$/m);
    assert.match(r.out, /^Next 14 days:\s+100% covered, 0 gaps$/m);
    assert.match(r.out, /^Times in:\s+UTC$/m);
    assert.match(r.out, /\nLayers \(lowest precedence first\):\n {2}Main \[main\]: 1 day each, hands off \d{4}-\d\d-\d\d 00:00: Ana → Ben\n/);
    assert.match(r.out, /\nGaps in the next 14 days \(nobody on call\):\n {2}none\n/);
    const table = r.out.slice(r.out.indexOf('\nShifts ') + 1).trimEnd().split('\n');
    assert.equal(table[0], `Shifts from ${utc(day0)} to ${utc(day0 + 3 * DAY)} UTC (100% covered):`);
    assert.match(table[1]!, /^START\s+END\s+LENGTH\s+ON CALL\s+VIA$/);
    assert.deepEqual(
      table.slice(2).map((l) => l.split(/\s{2,}/)),
      [0, 1, 2].map((d) => [utc(day0 + d * DAY), utc(day0 + (d + 1) * DAY), '1d', d % 2 ? 'Ben' : 'Ana', 'layer Main']),
    );

    const body = await json<{ schedule: { id: string; gaps: unknown[] }; shifts: unknown }>(env.Ana!, ['schedule', 'show', ids.primary!, '--from', iso(day0), '--to', iso(day0 + 3 * DAY)]);
    assert.deepEqual(Object.keys(body), ['schedule', 'shifts']);
    assert.equal(body.schedule.id, ids.primary);
    assert.deepEqual(body.shifts, await api('GET', `/schedules/${ids.primary}/shifts?from=${encodeURIComponent(iso(day0))}&to=${encodeURIComponent(iso(day0 + 3 * DAY))}`));

    const empty = await vigil(env.Ana!, ['schedule', 'show', 'empty', '--tz', 'UTC']);
    assert.equal(empty.code, 0, empty.err);
    assert.match(empty.out, /^Next 14 days:\s+0% covered, 1 gap$/m);
    assert.match(empty.out, /Nobody is on call in this range\.\n$/);
  });

  it('refuses schedule show for an unknown schedule (exit 1) and an unknown --tz (exit 2)', async () => {
    const missing = await vigil(env.Ana!, ['schedule', 'show', 'Secondary']);
    assert.equal(missing.code, 1);
    assertOneLine(missing.err, /NOT_FOUND no schedule is named "Secondary"/);
    const zone = await vigil(env.Ana!, ['schedule', 'show', 'Primary', '--tz', 'Mars/Olympus_Mons'], { fetch: noFetch });
    assert.equal(zone.code, 2);
    assertOneLine(zone.err, /--tz <zone>.*'Mars\/Olympus_Mons' is invalid\. Expected an IANA time zone/);
  });

  it('adds an override for a user named by email, with relative times, and on-call follows it', async () => {
    const r = await vigil(env.Ana!, ['schedule', 'override', 'Primary', '--user', 'CAROL@example.com', '--from', '+1h', '--to', '+3h', '--note', 'covering lunch', '--tz', 'UTC']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Added override [0-9a-f-]{36} to Primary: Carol on call instead of whoever is on call, from \w{3} \d{4}-\d\d-\d\d \d\d:\d\d to \w{3} \d{4}-\d\d-\d\d \d\d:\d\d UTC\.\n$/);
    const now = await json<{ onCall: { user: { name: string }; source: { type: string } }[] }>(env.Carol!, ['oncall', '--schedule', 'Primary', '--at', '+2h']);
    assert.deepEqual(now.onCall.map((c) => [c.user.name, c.source.type]), [['Carol', 'override']]);

    const replacing = await json<{ override: { user: { name: string }; replacesUser: { name: string } } }>(env.Ana!, [
      'schedule', 'override', 'Database', '--user', ids.Ana!, '--replaces', 'ben@example.com', '--from', '+1h', '--to', '+2h',
    ]);
    assert.deepEqual([replacing.override.user.name, replacing.override.replacesUser.name], ['Ana', 'Ben']);
  });

  it('refuses an override from an observer (FORBIDDEN, exit 4) and for an unknown email (exit 1)', async () => {
    const observer = await vigil(env.Carol!, ['schedule', 'override', 'Primary', '--user', 'carol@example.com', '--from', '+1h', '--to', '+2h']);
    assert.equal(observer.code, 4);
    assertOneLine(observer.err, /^vigil: FORBIDDEN .* Overrides need a responder or admin, with a write or admin token\. \(request [^)]+\)\n$/);
    const unknown = await vigil(env.Ana!, ['schedule', 'override', 'Primary', '--user', 'dave@example.com', '--from', '+1h', '--to', '+2h']);
    assert.equal(unknown.code, 1);
    assertOneLine(unknown.err, /NOT_FOUND no user has the email "dave@example.com"/);
    const missing = await vigil(env.Ana!, ['schedule', 'override', 'Primary', '--from', '+1h', '--to', '+2h'], { fetch: noFetch });
    assert.equal(missing.code, 2);
    assertOneLine(missing.err, /--user/);
  });

  it('runs a swap: Ana asks, Ben accepts by swap id alone, and Ben is on call instead', async () => {
    const from = day0 + 2 * DAY; // Ana's day
    const asked = await vigil(env.Ana!, ['schedule', 'swap', 'Primary', '--with', 'ben@example.com', '--from', iso(from), '--to', iso(from + 6 * HOUR), '--tz', 'UTC']);
    assert.equal(asked.code, 0, asked.err);
    const m = /^Asked Ben to take your on-call time in Primary, from (.+) to (.+) UTC: swap ([0-9a-f-]{36}) \(requested\)\.\nThey accept with: vigil schedule swap accept \3\n$/.exec(asked.out);
    assert.ok(m, asked.out);
    assert.deepEqual([m[1], m[2]], [utc(from), utc(from + 6 * HOUR)]);
    const swapId = m[3]!;

    const list = await vigil(env.Carol!, ['schedule', 'swaps', 'Primary', '--status', 'requested', '--tz', 'UTC']);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, new RegExp(`^${swapId}\\s+requested\\s+${utc(from)}\\s+${utc(from + 6 * HOUR)}\\s+Ana\\s+Ben$`, 'm'));

    const refused = await vigil(env.Carol!, ['schedule', 'swap', 'accept', swapId]);
    assert.equal(refused.code, 4);
    assertOneLine(refused.err, /^vigil: FORBIDDEN .*read scope.* Only the person asked, or an admin, may accept this swap\. \(request /);

    const accepted = await vigil(env.Ben!, ['schedule', 'swap', 'accept', swapId, '--tz', 'UTC']);
    assert.equal(accepted.code, 0, accepted.err);
    assert.match(accepted.out, new RegExp(`^Accepted swap ${swapId}: Ben is on call instead of Ana in Primary, from ${utc(from)} to ${utc(from + 6 * HOUR)} UTC \\(override [0-9a-f-]{36}\\)\\.\\n$`));
    const onCall = await json<{ onCall: { user: { name: string } }[] }>(env.Ana!, ['oncall', '--schedule', 'Primary', '--at', iso(from + HOUR)]);
    assert.deepEqual(onCall.onCall.map((c) => c.user.name), ['Ben']);

    const again = await vigil(env.Ben!, ['schedule', 'swap', 'accept', swapId, '--schedule', 'Primary']);
    assert.equal(again.code, 1);
    assertOneLine(again.err, /^vigil: PRECONDITION_FAILED This swap is already accepted\. \(request /);
  });

  it('refuses a swap request for time the requester is not on call (VALIDATION, exit 1) and one without --with (exit 2)', async () => {
    const r = await vigil(env.Ana!, ['schedule', 'swap', 'Primary', '--with', 'ben@example.com', '--from', iso(day0 + 3 * DAY), '--to', iso(day0 + 3 * DAY + HOUR)]);
    assert.equal(r.code, 1);
    assertOneLine(r.err, /^vigil: VALIDATION body\.start: you are not on call for the whole of this range \(request /);
    const usage = await vigil(env.Ana!, ['schedule', 'swap', 'Primary', '--from', '+1h', '--to', '+2h'], { fetch: noFetch });
    assert.equal(usage.code, 2);
    assertOneLine(usage.err, /swap Primary needs --with/);
  });

  it('declines and cancels swaps, with --json printing the API response', async () => {
    const from = day0 + 4 * DAY + 8 * HOUR; // Ana's day again
    const request = async () =>
      (await json<{ swap: { id: string } }>(env.Ana!, ['schedule', 'swap', 'Primary', '--with', ids.Ben!, '--from', iso(from), '--to', iso(from + 2 * HOUR)])).swap.id;

    const first = await request();
    const byRequester = await vigil(env.Ana!, ['schedule', 'swap', 'decline', first]);
    assert.equal(byRequester.code, 4);
    assertOneLine(byRequester.err, /^vigil: FORBIDDEN Only the person asked to take the shift may do this\. Only the person asked, or an admin, may decline this swap\. \(request /);
    const declined = await json<{ swap: { id: string; status: string } }>(env.Ben!, ['schedule', 'swap', 'decline', first]);
    assert.deepEqual([declined.swap.id, declined.swap.status], [first, 'declined']);

    const second = await request();
    const cancelled = await vigil(env.Ana!, ['schedule', 'swap', 'cancel', second, '--schedule', 'Primary', '--tz', 'UTC']);
    assert.equal(cancelled.code, 0, cancelled.err);
    assert.equal(cancelled.out, `Cancelled swap ${second} (Ana asked Ben to take from ${utc(from)} to ${utc(from + 2 * HOUR)} UTC in Primary).\n`);

    const unknown = await vigil(env.Ana!, ['schedule', 'swap', 'cancel', '00000000-0000-4000-8000-000000000000']);
    assert.equal(unknown.code, 1);
    assertOneLine(unknown.err, /^vigil: NOT_FOUND no schedule has a swap 00000000-0000-4000-8000-000000000000\n$/);
    const notAnId = await vigil(env.Ana!, ['schedule', 'swap', 'cancel', 'last'], { fetch: noFetch });
    assert.equal(notAnId.code, 2);
  });
  it('creates a calendar feed whose URL (the only stdout line) serves the shifts, lists it, and revokes it', async () => {
    const created = await vigil(env.Carol!, ['calendar', 'create', 'Primary']);
    assert.equal(created.code, 0, created.err);
    const m = /^(\S+\/calendar\/vcf_[a-z0-9]{40}\.ics)\n$/.exec(created.out);
    assert.ok(m, created.out);
    assertOneLine(created.err, /^vigil: created calendar feed ([0-9a-f-]{36}) \(schedule Primary\); paste the URL .* shown only this once/);
    const feedId = /feed ([0-9a-f-]{36})/.exec(created.err)![1]!;
    const feedPath = new URL(m[1]!).pathname;
    const feed = await fetch(`${server.url}${feedPath}`);
    assert.equal(feed.status, 200);
    assert.equal(feed.headers.get('content-type'), 'text/calendar; charset=utf-8');
    const body = await feed.text();
    assert.match(body, /^BEGIN:VCALENDAR\r\n/);
    assert.match(body, /SUMMARY:On call: Ana \(Primary\)\r\n/);

    const list = await vigil(env.Carol!, ['calendar', 'list']);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, new RegExp(`^${feedId}\\s+schedule Primary\\s+vcf_[a-z0-9]{8}…\\s+\\w{3} \\d{4}`, 'm'));
    const mine = await json<{ feed: { kind: string }; url: string }>(env.Carol!, ['calendar', 'create', '--mine']);
    assert.equal(mine.feed.kind, 'user');
    assert.equal((await json<{ feeds: unknown[] }>(env.Carol!, ['calendar', 'list'])).feeds.length, 2);

    const revoked = await vigil(env.Carol!, ['calendar', 'revoke', feedId]);
    assert.equal(revoked.code, 0, revoked.err);
    assert.equal(revoked.out, `Revoked calendar feed ${feedId}.\n`);
    assert.equal((await fetch(`${server.url}${feedPath}`)).status, 404);
  });

  it('refuses calendar create without a target (exit 2) and revoking a feed twice (exit 1)', async () => {
    const none = await vigil(env.Carol!, ['calendar', 'create'], { fetch: noFetch });
    assert.equal(none.code, 2);
    assertOneLine(none.err, /say which feed/);
    const both = await vigil(env.Carol!, ['calendar', 'create', 'Primary', '--mine'], { fetch: noFetch });
    assert.equal(both.code, 2);
    const { feeds } = await json<{ feeds: { id: string }[] }>(env.Carol!, ['calendar', 'list']);
    assert.equal((await vigil(env.Carol!, ['calendar', 'revoke', feeds[0]!.id])).code, 0);
    const again = await vigil(env.Carol!, ['calendar', 'revoke', feeds[0]!.id]);
    assert.equal(again.code, 1);
    assertOneLine(again.err, /^vigil: NOT_FOUND calendar feed [0-9a-f-]{36} was not found\. \(request /);
  });

  it('prints the handoff report: shifts in the user\'s zone, incidents and windows, and the API document with --json', async () => {
    const r = await vigil(env.Ana!, ['handoff', '--tz', 'UTC']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Handoff report:\s+Ana, at \w{3} \d{4}-\d\d-\d\d \d\d:\d\d UTC$/m);
    assert.match(r.out, new RegExp(`^Current shift:\\s+Primary, from ${utc(day0)} to `, 'm'));
    assert.match(r.out, /^Next shift:\s+\w+, from /m);
    assert.match(r.out, /^Previous shift:\s+Primary, from /m);
    assert.match(r.out, /\nOpen incidents \(0; of every service: services are not linked to schedules yet\):\nNone\.\n/);
    assert.match(r.out, /\nMaintenance windows, active and upcoming \(0\):\nNone\.\n$/);
    // The server's real clock moves between requests: compare all but `at`.
    const withoutAt = ({ at: _at, ...rest }: { at: string }) => rest;
    const body = withoutAt(await json<{ at: string }>(env.Ana!, ['handoff']));
    assert.deepEqual(body, withoutAt(await api('GET', `/users/${ids.Ana}/handoff`)));
    assert.deepEqual(withoutAt(await json<{ at: string }>(admin, ['handoff', '--user', 'ana@example.com'])), body);
  });

  it("refuses someone else's handoff report to a non-admin: FORBIDDEN, exit 4", async () => {
    const r = await vigil(env.Ana!, ['handoff', '--user', 'ben@example.com']);
    assert.equal(r.code, 4);
    assert.equal(r.out, '');
    assertOneLine(r.err, /^vigil: FORBIDDEN .* Only an admin may read someone else's handoff report\. \(request /);
  });
});
