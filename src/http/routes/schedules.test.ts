import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { systemActor } from '../../core/shared/context.ts';
import { createApiToken, createUser } from '../../core/users/index.ts';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

const GHOST = '00000000-0000-4000-8000-000000000000';

eachDatabase('schedules API', (kind) => {
  let h: Harness;
  // A second responder, on call in the APAC layer, with a token of their own.
  let sam: { id: string; token: string };

  before(async () => {
    h = await createHarness(kind);
    const ctx = { db: h.database.db, clock: h.clock, actor: systemActor('test') };
    const user = await createUser(ctx, { email: 'sam@example.com', name: 'Sam', role: 'responder' });
    const token = await createApiToken({ ...ctx, actor: { type: 'user', id: user.id, name: 'Sam', role: 'responder' } }, { name: 'sam', scope: 'write' });
    sam = { id: user.id, token: token.secret };
  });
  after(() => h.close());

  // Follow the sun: the responder covers 07:00–19:00 London time, Sam 08:00–20:00 Sydney time.
  // In March 2026 (GMT, AEDT +11) that is 07:00–19:00Z and 21:00–09:00Z: 19:00–21:00Z is a gap.
  const followTheSun = (name: string) => ({
    name,
    timeZone: 'UTC',
    layers: [
      {
        id: 'emea',
        name: 'EMEA',
        participants: [h.users.responder.id],
        rotation: { unit: 'week', length: 1 },
        handoff: { date: '2026-03-02', time: '07:00', timeZone: 'Europe/London' },
        start: '2026-03-01T00:00:00Z',
        restrictions: [{ kind: 'daily', start: '07:00', end: '19:00' }],
      },
      {
        id: 'apac',
        name: 'APAC',
        participants: [sam.id],
        rotation: { unit: 'week', length: 1 },
        handoff: { date: '2026-03-02', time: '08:00', timeZone: 'Australia/Sydney' },
        start: '2026-03-01T00:00:00Z',
        restrictions: [{ kind: 'daily', start: '08:00', end: '20:00' }],
      },
    ],
  });
  const create = async (name: string) => {
    const res = await h.request('POST', '/api/v1/schedules', { token: h.tokens.responder, body: followTheSun(name) });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().schedule;
  };
  const onCall = async (id: string, at: string, token = h.tokens.observer) => {
    const res = await h.request('GET', `/api/v1/schedules/${id}/on-call?at=${encodeURIComponent(at)}`, { token });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().onCall.map((o: { user: { name: string } }) => o.user.name);
  };

  it('creates a follow-the-sun schedule, answers who is on call in both zones across DST, and warns of its gap', async () => {
    const schedule = await create('Follow the sun');
    assert.deepEqual(schedule.users, [
      { id: h.users.responder.id, name: 'The responder' },
      { id: sam.id, name: 'Sam' },
    ]);
    assert.deepEqual(schedule.gaps[0], { start: '2026-03-02T19:00:00.000Z', end: '2026-03-02T21:00:00.000Z' });
    assert.equal(schedule.gaps.length, 14);
    assert.ok(Math.abs(schedule.coverage - 22 / 24) < 0.01, String(schedule.coverage));

    assert.deepEqual(await onCall(schedule.id, '2026-03-02T10:00:00Z'), ['The responder']);
    assert.deepEqual(await onCall(schedule.id, '2026-03-02T20:00:00Z'), []);
    assert.deepEqual(await onCall(schedule.id, '2026-03-02T22:00:00Z'), ['Sam']);
    assert.deepEqual(await onCall(schedule.id, '2026-03-03T08:30:00+00:00'), ['Sam'], 'the later layer wins where both cover');
    // 6 April: London is on BST (+1), Sydney back on AEST (+10).
    assert.deepEqual(await onCall(schedule.id, '2026-03-02T18:30:00Z'), ['The responder']);
    assert.deepEqual(await onCall(schedule.id, '2026-04-06T17:30:00Z'), ['The responder']);
    assert.deepEqual(await onCall(schedule.id, '2026-04-06T18:30:00Z'), [], 'London ends at 19:00 BST, 18:00Z');
    assert.deepEqual(await onCall(schedule.id, '2026-04-06T21:30:00Z'), []);
    assert.deepEqual(await onCall(schedule.id, '2026-04-06T22:30:00Z'), ['Sam']);

    const now = await h.request('GET', `/api/v1/schedules/${schedule.id}/on-call`, { token: h.tokens.observer });
    assert.equal(now.json().at, '2026-03-02T09:00:00.000Z', 'at defaults to now');
    assert.deepEqual(now.json().onCall, [{ user: { id: h.users.responder.id, name: 'The responder' }, source: { type: 'layer', layerId: 'emea' } }]);

    const list = await h.request('GET', '/api/v1/schedules', { token: h.tokens.observer });
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().schedules.find((s: { id: string }) => s.id === schedule.id).hasGapsNext14Days, true);
    const got = await h.request('GET', `/api/v1/schedules/${schedule.id}`, { token: h.tokens.observer });
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.json().schedule.layers, schedule.layers);
  });

  it('agrees between on-call and shifts at every instant', async () => {
    const schedule = await create('Agreement');
    await h.request('POST', `/api/v1/schedules/${schedule.id}/overrides`, {
      token: h.tokens.responder,
      body: { userId: h.users.admin.id, start: '2026-03-03T18:00:00Z', end: '2026-03-03T22:30:00Z' },
    });
    const from = '2026-03-03T00:00:00Z';
    const to = '2026-03-05T00:00:00Z';
    const res = await h.request('GET', `/api/v1/schedules/${schedule.id}/shifts?from=${from}&to=${to}`, { token: h.tokens.observer });
    assert.equal(res.statusCode, 200, res.body);
    const { shifts, gaps } = res.json() as { shifts: { user: { name: string }; start: string; end: string }[]; gaps: unknown[] };
    assert.ok(gaps.length > 0);
    for (let t = Date.parse(from); t < Date.parse(to); t += 30 * 60_000) {
      const at = new Date(t).toISOString();
      const expected = shifts.filter((s) => Date.parse(s.start) <= t && t < Date.parse(s.end)).map((s) => s.user.name);
      assert.deepEqual(await onCall(schedule.id, at), expected, at);
    }
    assert.deepEqual(await onCall(schedule.id, '2026-03-03T20:00:00Z'), ['The admin'], 'the override fills the gap');
    assert.deepEqual(await onCall(schedule.id, '2026-03-03T22:00:00Z'), ['The admin'], 'and wins over the layer');

    const everyone = await h.request('GET', '/api/v1/oncall?at=2026-03-03T22:00:00Z', { token: h.tokens.observer });
    assert.equal(everyone.statusCode, 200);
    const mine = everyone.json().schedules.find((s: { schedule: { id: string } }) => s.schedule.id === schedule.id);
    assert.deepEqual(mine.onCall, [{ user: { id: h.users.admin.id, name: 'The admin' }, source: { type: 'override', overrideId: mine.onCall[0].source.overrideId } }]);
  });

  it('runs a swap: the requester asks, only the recipient accepts, and an override results', async () => {
    const schedule = await create('Swaps');
    const base = `/api/v1/schedules/${schedule.id}/swaps`;
    const range = { start: '2026-03-03T10:00:00Z', end: '2026-03-03T12:00:00Z' };
    const asked = await h.request('POST', base, { token: h.tokens.responder, body: { recipientId: sam.id, ...range, note: 'school run' } });
    assert.equal(asked.statusCode, 201, asked.body);
    const swap = asked.json().swap;
    assert.deepEqual([swap.status, swap.requester.name, swap.recipient.name], ['requested', 'The responder', 'Sam']);

    const notMine = await h.request('POST', base, { token: sam.token, body: { recipientId: h.users.responder.id, ...range } });
    assert.equal(notMine.statusCode, 400);
    assert.equal(errorOf(notMine).details?.fields?.[0]?.field, 'body.start');

    for (const [verb, token] of [
      ['accept', h.tokens.responder],
      ['decline', h.tokens.responder],
      ['cancel', sam.token],
      ['accept', h.tokens.observer],
    ] as const) {
      const denied = await h.request('POST', `${base}/${swap.id}/${verb}`, { token });
      assert.equal(denied.statusCode, 403, `${verb}: ${denied.body}`);
      assert.equal(errorOf(denied).code, 'FORBIDDEN');
    }
    assert.equal((await h.request('POST', `${base}/${swap.id}/accept`)).statusCode, 401);
    assert.equal((await h.request('POST', `${base}/${GHOST}/accept`, { token: sam.token })).statusCode, 404);

    const accepted = await h.request('POST', `${base}/${swap.id}/accept`, { token: sam.token });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json().swap.status, 'accepted');
    assert.deepEqual(await onCall(schedule.id, '2026-03-03T11:00:00Z'), ['Sam']);
    const again = await h.request('POST', `${base}/${swap.id}/cancel`, { token: h.tokens.responder });
    assert.equal(again.statusCode, 412);
    assert.equal(errorOf(again).code, 'PRECONDITION_FAILED');

    const overrides = await h.request('GET', `/api/v1/schedules/${schedule.id}/overrides?from=2026-03-03T00:00:00Z&to=2026-03-04T00:00:00Z`, { token: h.tokens.observer });
    assert.equal(overrides.statusCode, 200);
    assert.deepEqual(
      overrides.json().overrides.map((o: { id: string; user: { name: string }; replacesUser: { name: string } }) => [o.id, o.user.name, o.replacesUser.name]),
      [[accepted.json().swap.overrideId, 'Sam', 'The responder']],
    );
    const listed = await h.request('GET', `${base}?status=accepted`, { token: h.tokens.observer });
    assert.deepEqual(listed.json().swaps.map((s: { id: string }) => s.id), [swap.id]);
    const audit = await h.request('GET', `/api/v1/audit?entityType=schedule&entityId=${schedule.id}`, { token: h.tokens.admin });
    assert.deepEqual(audit.json().entries.map((e: { action: string }) => e.action), ['schedule.swap.accept', 'schedule.swap.request', 'schedule.create']);
  });

  it('edits, overrides and deletes with the right roles; 401 without credentials, 403 for observers and read tokens, 404 for unknown ids', async () => {
    const schedule = await create('Guarded');
    const url = `/api/v1/schedules/${schedule.id}`;
    for (const [method, path, body] of [
      ['GET', '/api/v1/schedules', undefined],
      ['GET', url, undefined],
      ['GET', `${url}/shifts?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z`, undefined],
      ['GET', '/api/v1/oncall', undefined],
      ['POST', '/api/v1/schedules', followTheSun('x')],
      ['DELETE', url, undefined],
    ] as const) {
      const res = await h.request(method, path, { body });
      assert.equal(res.statusCode, 401, `${method} ${path}`);
      assert.equal(errorOf(res).code, 'UNAUTHORIZED');
    }
    const readToken = await h.token('admin', 'read');
    for (const token of [h.tokens.observer, readToken]) {
      const writes = [
        await h.request('POST', '/api/v1/schedules', { token, body: followTheSun('Nope') }),
        await h.request('PATCH', url, { token, body: { name: 'Nope' } }),
        await h.request('POST', `${url}/overrides`, { token, body: { userId: null, start: '2026-03-03T00:00:00Z', end: '2026-03-03T01:00:00Z' } }),
        await h.request('POST', `${url}/temporary-schedules`, { token, body: { start: '2026-03-03T00:00:00Z', end: '2026-03-03T01:00:00Z', shifts: [] } }),
        await h.request('POST', `${url}/swaps`, { token, body: { recipientId: sam.id, start: '2026-03-03T10:00:00Z', end: '2026-03-03T11:00:00Z' } }),
        await h.request('DELETE', url, { token }),
      ];
      for (const res of writes) {
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(errorOf(res).code, 'FORBIDDEN');
      }
    }
    assert.equal((await h.request('GET', url, { token: h.tokens.admin })).json().schedule.name, 'Guarded');

    // A responder edits: the new layers apply from now.
    h.clock.advance(3_600_000);
    const patched = await h.request('PATCH', url, { token: h.tokens.responder, body: { name: 'Guarded 2', layers: [{ ...followTheSun('').layers[1]!, start: undefined }] } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().schedule.layersFrom, '2026-03-02T10:00:00.000Z');
    assert.equal(patched.json().schedule.layers[0].start, '2026-03-02T10:00:00.000Z');
    assert.deepEqual(await onCall(schedule.id, '2026-03-02T09:30:00Z'), ['The responder'], 'the past stays');
    assert.deepEqual(await onCall(schedule.id, '2026-03-02T10:30:00Z'), [], 'from now, only Sydney hours are covered');

    const o = await h.request('POST', `${url}/overrides`, { token: h.tokens.responder, body: { userId: null, start: '2026-03-03T00:00:00Z', end: '2026-03-03T01:00:00Z' } });
    assert.equal(o.statusCode, 201, o.body);
    assert.deepEqual(await onCall(schedule.id, '2026-03-03T00:30:00Z'), [], 'nobody: the override removes');
    const t = await h.request('POST', `${url}/temporary-schedules`, {
      token: h.tokens.responder,
      body: { start: '2026-03-04T00:00:00Z', end: '2026-03-04T06:00:00Z', shifts: [{ userId: h.users.admin.id, start: '2026-03-04T00:00:00Z', end: '2026-03-04T06:00:00Z' }] },
    });
    assert.equal(t.statusCode, 201, t.body);
    assert.deepEqual(await onCall(schedule.id, '2026-03-04T01:00:00Z'), ['The admin']);
    const temps = await h.request('GET', `${url}/temporary-schedules?from=2026-03-04T00:00:00Z&to=2026-03-05T00:00:00Z`, { token: h.tokens.observer });
    assert.equal(temps.json().temporarySchedules.length, 1);

    assert.equal((await h.request('DELETE', `${url}/overrides/${o.json().override.id}`, { token: h.tokens.responder })).statusCode, 204);
    assert.equal((await h.request('DELETE', `${url}/overrides/${o.json().override.id}`, { token: h.tokens.responder })).statusCode, 404);
    assert.equal((await h.request('DELETE', `${url}/temporary-schedules/${t.json().temporarySchedule.id}`, { token: h.tokens.responder })).statusCode, 204);
    assert.deepEqual(await onCall(schedule.id, '2026-03-04T01:00:00Z'), ['Sam']);

    const responderDelete = await h.request('DELETE', url, { token: h.tokens.responder });
    assert.equal(responderDelete.statusCode, 403, 'deleting a schedule is for admins');
    assert.equal((await h.request('DELETE', url, { token: h.tokens.admin })).statusCode, 204);
    for (const path of [url, `${url}/on-call`, `${url}/shifts?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z`, `${url}/overrides`, `${url}/swaps`]) {
      const res = await h.request('GET', path, { token: h.tokens.observer });
      assert.equal(res.statusCode, 404, path);
      assert.equal(errorOf(res).code, 'NOT_FOUND');
    }
    assert.equal((await h.request('PATCH', url, { token: h.tokens.responder, body: { name: 'x' } })).statusCode, 404);
  });

  it('documents every schedules route in the OpenAPI document, each with a summary', async () => {
    const doc = (await h.request('GET', '/api/v1/openapi.json')).json();
    const paths = [
      '/api/v1/schedules',
      '/api/v1/schedules/{id}',
      '/api/v1/schedules/{id}/overrides',
      '/api/v1/schedules/{id}/overrides/{overrideId}',
      '/api/v1/schedules/{id}/temporary-schedules',
      '/api/v1/schedules/{id}/temporary-schedules/{temporaryId}',
      '/api/v1/schedules/{id}/swaps',
      '/api/v1/schedules/{id}/swaps/{swapId}/accept',
      '/api/v1/schedules/{id}/swaps/{swapId}/decline',
      '/api/v1/schedules/{id}/swaps/{swapId}/cancel',
      '/api/v1/schedules/{id}/on-call',
      '/api/v1/schedules/{id}/shifts',
      '/api/v1/oncall',
    ];
    for (const path of paths) {
      assert.ok(doc.paths[path], `missing ${path}`);
      for (const [method, op] of Object.entries(doc.paths[path] as Record<string, { summary?: string }>)) assert.ok(op.summary, `${method} ${path} has no summary`);
    }
  });

  it('rejects bad input with the field and the reason', async () => {
    const schedule = await create('Validated');
    const url = `/api/v1/schedules/${schedule.id}`;
    const good = followTheSun('Valid name');
    const layer = good.layers[0]!;
    const cases: [string, string, unknown, string, RegExp][] = [
      ['POST', '/api/v1/schedules', { ...good, colour: 'red' }, 'body.colour', /not a known field/],
      ['POST', '/api/v1/schedules', { ...good, layers: [{ ...layer, participants: [h.users.admin.id, GHOST] }] }, 'body.layers.0.participants.1', /no such user/],
      ['POST', '/api/v1/schedules', { ...good, layers: [{ ...layer, participants: ['nope'] }] }, 'body.layers.0.participants.0', /uuid/],
      ['POST', '/api/v1/schedules', { ...good, layers: [{ ...layer, rotation: { unit: 'fortnight', length: 1 } }] }, 'body.layers.0.rotation.unit', /must be/],
      ['POST', '/api/v1/schedules', { ...good, layers: [{ ...layer, handoff: { ...layer.handoff, timeZone: 'Nowhere/City' } }] }, 'body.layers.0.handoff.timeZone', /IANA/],
      ['POST', '/api/v1/schedules', { ...good, layers: [{ ...layer, start: '2026-03-01T00:00:00' }] }, 'body.layers.0.start', /date-time|offset/],
      ['POST', '/api/v1/schedules', { ...good, timeZone: '+05:30' }, 'body.timeZone', /IANA/],
      ['POST', '/api/v1/schedules', { ...good, name: ' ' }, 'body.name', /empty/],
      ['POST', '/api/v1/schedules', { ...good, name: 'VALIDATED' }, 'body.name', /in use/],
      ['PATCH', url, { layers: [layer, { ...layer }] }, 'body.layers.1.id', /another layer/],
      ['POST', `${url}/overrides`, { userId: GHOST, start: '2026-03-03T00:00:00Z', end: '2026-03-03T01:00:00Z' }, 'body.userId', /no such user/],
      ['POST', `${url}/overrides`, { userId: null, start: '2026-03-03T02:00:00Z', end: '2026-03-03T01:00:00Z' }, 'body.end', /after start/],
      ['POST', `${url}/overrides`, { start: '2026-03-03T00:00:00Z', end: '2026-03-03T01:00:00Z' }, 'body.userId', /required/],
      ['POST', `${url}/temporary-schedules`, { start: '2026-03-03T00:00:00Z', end: '2026-03-03T01:00:00Z', shifts: [{ userId: sam.id, start: '2026-03-03T00:00:00Z', end: '2026-03-03T02:00:00Z' }] }, 'body.shifts.0', /within/],
      ['POST', `${url}/swaps`, { recipientId: h.users.responder.id, start: '2026-03-03T10:00:00Z', end: '2026-03-03T11:00:00Z' }, 'body.recipientId', /someone else/],
      ['GET', `${url}/shifts?from=2026-03-02T00:00:00Z&to=2027-03-05T00:00:00Z`, undefined, 'query.to', /366 days/],
      ['GET', `${url}/shifts?from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z`, undefined, 'query.to', /after from/],
      ['GET', `${url}/shifts?from=2026-03-02T00:00:00Z`, undefined, 'query.to', /required/],
      ['GET', `${url}/on-call?at=tomorrow`, undefined, 'query.at', /date-time/],
      ['GET', '/api/v1/oncall?at=2026-03-02T09:00:00', undefined, 'query.at', /date-time/],
      ['GET', `/api/v1/schedules/nope`, undefined, 'params.id', /uuid/],
    ];
    for (const [method, path, body, field, reason] of cases) {
      const res = await h.request(method, path, { token: h.tokens.responder, body });
      assert.equal(res.statusCode, field === 'body.name' && String(reason) === '/in use/' ? 409 : 400, `${method} ${path} ${JSON.stringify(body)}: ${res.body}`);
      const found = errorOf(res).details?.fields?.find((f) => f.field === field);
      assert.ok(found, `${method} ${path} ${JSON.stringify(body)} → ${res.body}`);
      assert.match(found.reason, reason);
    }
  });
});
