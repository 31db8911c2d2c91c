import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

interface Shift {
  user: { id: string; name: string };
  start: string;
  end: string;
}

/** The feed read back with ical.js: each event's instants (to the second) and summary, by start. */
function events(feed: string): { uid: string; start: string; end: string; summary: string }[] {
  const calendar = new ICAL.Component(ICAL.parse(feed));
  return calendar
    .getAllSubcomponents('vevent')
    .map((v) => {
      const e = new ICAL.Event(v);
      return { uid: e.uid, start: new Date(e.startDate.toUnixTime() * 1000).toISOString(), end: new Date(e.endDate.toUnixTime() * 1000).toISOString(), summary: e.summary };
    })
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

const seconds = (iso: string) => new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();

eachDatabase('calendar feeds', (kind) => {
  let h: Harness;
  let a: { id: string; name: string };
  let b: { id: string; name: string };

  // Daily rotation between the responder and the admin in London; a second schedule with only the observer.
  const layered = (name: string, participants: string[], timeZone = 'Europe/London') => ({
    name,
    timeZone,
    layers: [{ id: 'main', name: 'Main', participants, rotation: { unit: 'day', length: 1 }, handoff: { date: '2026-03-02', time: '09:00' }, start: '2026-02-01T00:00:00Z' }],
  });

  before(async () => {
    h = await createHarness(kind);
    const created = async (body: unknown) => {
      const res = await h.request('POST', '/api/v1/schedules', { token: h.tokens.admin, body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().schedule as { id: string; name: string };
    };
    a = await created(layered('Primary', [h.users.responder.id, h.users.admin.id]));
    b = await created(layered('Database', [h.users.observer.id], 'America/New_York'));
  });
  after(() => h.close());

  const subscribe = async (path: string, token: string) => {
    const res = await h.request('POST', path, { token });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json() as { feed: { id: string; kind: string; tokenPreview: string; schedule: { id: string } | null }; url: string };
    const m = /^http:\/\/vigil\.test\/calendar\/(vcf_[a-z0-9]{40})\.ics$/.exec(body.url);
    assert.ok(m, body.url);
    return { ...body, path: new URL(body.url).pathname, token: m[1]! };
  };
  const shifts = async (scheduleId: string, from: string, to: string): Promise<Shift[]> => {
    const res = await h.request('GET', `/api/v1/schedules/${scheduleId}/shifts?from=${from}&to=${to}`, { token: h.tokens.observer });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().shifts;
  };
  // The window fetched at 2026-03-02T09:00Z: 23 February 00:00Z to 1 June 00:00Z (91 days after 2 March).
  const FROM = '2026-02-23T00:00:00.000Z';
  const TO = '2026-06-01T00:00:00.000Z';

  it("serves a schedule's feed to an observer's subscription: every event is one of the API's shifts", async () => {
    const feed = await subscribe(`/api/v1/schedules/${a.id}/calendar-feeds`, h.tokens.observer);
    assert.equal(feed.feed.kind, 'schedule');
    assert.equal(feed.feed.schedule?.id, a.id);
    assert.equal(feed.feed.tokenPreview, `${feed.token.slice(0, 12)}…`);

    const res = await h.request('GET', feed.path);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'text/calendar; charset=utf-8');
    assert.match(res.body, /^BEGIN:VCALENDAR\r\n/);
    const expected = (await shifts(a.id, FROM, TO)).map((s) => ({ start: seconds(s.start), end: seconds(s.end), summary: `On call: ${s.user.name} (Primary)` }));
    assert.ok(expected.length >= 98, String(expected.length));
    assert.deepEqual(events(res.body).map(({ uid: _uid, ...e }) => e), expected);

    // A refresh later the same day shows the same window and keeps every UID.
    h.clock.advance(6 * 3_600_000);
    const again = await h.request('GET', feed.path);
    assert.deepEqual(events(again.body).map((e) => e.uid), events(res.body).map((e) => e.uid));
  });

  it("serves the owner's own shifts across schedules, each in its schedule's zone", async () => {
    const feed = await subscribe('/api/v1/users/me/calendar-feeds', h.tokens.responder);
    assert.equal(feed.feed.kind, 'user');
    assert.equal(feed.feed.schedule, null);
    const res = await h.request('GET', feed.path);
    assert.equal(res.statusCode, 200, res.body);
    const mine = (await shifts(a.id, FROM, TO)).filter((s) => s.user.id === h.users.responder.id).map((s) => ({ start: seconds(s.start), end: seconds(s.end) }));
    assert.ok(mine.length > 40);
    assert.deepEqual(events(res.body).map((e) => ({ start: e.start, end: e.end })), mine);
    assert.match(res.body, /X-WR-CALNAME:On call: The responder\r\n/);

    const observers = await subscribe('/api/v1/users/me/calendar-feeds', h.tokens.observer);
    const theirs = events((await h.request('GET', observers.path)).body);
    assert.deepEqual(theirs.map((e) => ({ start: e.start, end: e.end })), (await shifts(b.id, FROM, TO)).map((s) => ({ start: seconds(s.start), end: seconds(s.end) })));
    assert.ok(theirs.every((e) => e.summary === 'On call: The observer (Database)'));
  });

  it('keeps schedules apart: the token of schedule A shows no shift of schedule B', async () => {
    const feed = await subscribe(`/api/v1/schedules/${a.id}/calendar-feeds`, h.tokens.responder);
    const body = (await h.request('GET', feed.path)).body;
    assert.ok(!body.includes('Database'));
    assert.ok(!body.includes('The observer'));
    assert.ok(events(body).every((e) => e.summary.endsWith('(Primary)')));
  });

  it('lists only my feeds as previews, and revokes: the URL then answers 404 like an unknown token', async () => {
    const feed = await subscribe(`/api/v1/schedules/${b.id}/calendar-feeds`, h.tokens.admin);
    const list = await h.request('GET', '/api/v1/users/me/calendar-feeds', { token: h.tokens.admin });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json().feeds.map((f: { id: string }) => f.id), [feed.feed.id]);
    assert.ok(!list.body.includes(feed.token), 'the token is never listed');
    assert.ok(list.body.includes(feed.feed.tokenPreview));

    // Someone else's feed does not exist for them.
    const other = await h.request('DELETE', `/api/v1/users/me/calendar-feeds/${feed.feed.id}`, { token: h.tokens.responder });
    assert.equal(other.statusCode, 404);
    assert.equal((await h.request('GET', feed.path)).statusCode, 200);

    const revoked = await h.request('DELETE', `/api/v1/users/me/calendar-feeds/${feed.feed.id}`, { token: h.tokens.admin });
    assert.equal(revoked.statusCode, 204, revoked.body);
    const gone = await h.request('GET', feed.path);
    const unknown = await h.request('GET', `/calendar/vcf_${'a'.repeat(40)}.ics`);
    const malformed = await h.request('GET', '/calendar/not-a-token.ics');
    for (const res of [gone, unknown, malformed]) {
      assert.equal(res.statusCode, 404);
      assert.equal(errorOf(res).code, 'NOT_FOUND');
      assert.equal(errorOf(res).message, 'There is no calendar feed at this address.');
    }
    assert.deepEqual((await h.request('GET', '/api/v1/users/me/calendar-feeds', { token: h.tokens.admin })).json().feeds, []);
    assert.equal((await h.request('DELETE', `/api/v1/users/me/calendar-feeds/${feed.feed.id}`, { token: h.tokens.admin })).statusCode, 404);

    const audit = await h.request('GET', `/api/v1/audit?entityType=calendar_feed&entityId=${feed.feed.id}`, { token: h.tokens.admin });
    assert.equal(audit.statusCode, 200, audit.body);
    assert.deepEqual(audit.json().entries.map((e: { action: string }) => e.action), ['calendar_feed.revoke', 'calendar_feed.create']);
  });

  it('answers 401 without authentication on the API routes, and 404 for an unknown schedule', async () => {
    for (const [method, url] of [
      ['POST', `/api/v1/schedules/${a.id}/calendar-feeds`],
      ['POST', '/api/v1/users/me/calendar-feeds'],
      ['GET', '/api/v1/users/me/calendar-feeds'],
      ['DELETE', `/api/v1/users/me/calendar-feeds/${a.id}`],
    ] as const) {
      const res = await h.request(method, url);
      assert.equal(res.statusCode, 401, `${method} ${url}`);
      assert.equal(errorOf(res).code, 'UNAUTHORIZED');
    }
    const missing = await h.request('POST', '/api/v1/schedules/00000000-0000-4000-8000-000000000000/calendar-feeds', { token: h.tokens.observer });
    assert.equal(missing.statusCode, 404);
  });

  it('drops the feed with its schedule', async () => {
    const created = await h.request('POST', '/api/v1/schedules', { token: h.tokens.admin, body: layered('Short-lived', [h.users.admin.id]) });
    const id = created.json().schedule.id;
    const feed = await subscribe(`/api/v1/schedules/${id}/calendar-feeds`, h.tokens.admin);
    assert.equal((await h.request('GET', feed.path)).statusCode, 200);
    assert.equal((await h.request('DELETE', `/api/v1/schedules/${id}`, { token: h.tokens.admin })).statusCode, 204);
    assert.equal((await h.request('GET', feed.path)).statusCode, 404);
  });
});

describe('the public feed route', () => {
  it('is rate-limited per address like every public route: 429 past the limit, for good and bad tokens alike', async () => {
    const h = await createHarness('pglite', { rateLimitPerMinute: 3 });
    try {
      const feed = await h.request('POST', '/api/v1/users/me/calendar-feeds', { token: h.tokens.observer });
      assert.equal(feed.statusCode, 201, feed.body);
      const path = new URL(feed.json().url).pathname;
      const statuses: number[] = [];
      for (const p of [path, `/calendar/vcf_${'b'.repeat(40)}.ics`, path, path]) statuses.push((await h.request('GET', p)).statusCode);
      assert.deepEqual(statuses, [200, 404, 200, 429]);
    } finally {
      await h.close();
    }
  });
});
