import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

eachDatabase('handoff report', (kind) => {
  let h: Harness;
  let scheduleId: string;
  const numbers: Record<string, number> = {};

  const send = async (key: string, body: Record<string, unknown>) => {
    const res = await h.request('POST', `/api/v1/integrations/${key}/events`, { body });
    assert.equal(res.statusCode, 202, res.body);
    return res.json() as { incidentId: string | null };
  };
  const incidentNumber = async (id: string) => {
    const res = await h.request('GET', `/api/v1/incidents/${id}`, { token: h.tokens.admin });
    assert.equal(res.statusCode, 200, res.body);
    return (res.json().incident as { number: number }).number;
  };

  // Daily rotation at 09:00 London (09:00Z in March): the responder from 2 March 09:00Z to
  // 3 March 09:00Z, the admin the next day, and so on. The report is read on 3 March at 10:00Z.
  before(async () => {
    h = await createHarness(kind);
    const schedule = await h.request('POST', '/api/v1/schedules', {
      token: h.tokens.admin,
      body: {
        name: 'Primary',
        timeZone: 'Europe/London',
        layers: [{ id: 'main', name: 'Main', participants: [h.users.responder.id, h.users.admin.id], rotation: { unit: 'day', length: 1 }, handoff: { date: '2026-03-02', time: '09:00' }, start: '2026-02-01T00:00:00Z' }],
      },
    });
    assert.equal(schedule.statusCode, 201, schedule.body);
    scheduleId = schedule.json().schedule.id;
    const service = async (name: string) => {
      const res = await h.request('POST', '/api/v1/services', { token: h.tokens.admin, body: { name } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().service as { id: string; integrationKeys: { key: string }[] };
    };
    const checkout = await service('checkout');
    const search = await service('search');

    h.clock.set('2026-03-02T10:00:00Z'); // the responder's shift
    numbers.open = await incidentNumber((await send(checkout.integrationKeys[0]!.key, { title: 'Checkout down', dedup_key: 'down' })).incidentId!);
    numbers.resolved = await incidentNumber((await send(search.integrationKeys[0]!.key, { title: 'Search slow', dedup_key: 'slow' })).incidentId!);
    await send(search.integrationKeys[0]!.key, { status: 'resolved', dedup_key: 'slow' });
    for (const [description, startsAt, endsAt] of [
      ['ended', '2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z'],
      ['active at the handoff', '2026-03-03T09:30:00Z', '2026-03-03T12:00:00Z'],
      ['next week', '2026-03-09T09:00:00Z', '2026-03-09T10:00:00Z'],
    ]) {
      const res = await h.request('POST', '/api/v1/maintenance-windows', { token: h.tokens.admin, body: { serviceId: search.id, description, startsAt, endsAt } });
      assert.equal(res.statusCode, 201, res.body);
    }
    h.clock.set('2026-03-03T10:00:00Z'); // the admin's shift
    numbers.later = await incidentNumber((await send(checkout.integrationKeys[0]!.key, { title: 'Checkout errors', dedup_key: 'errors' })).incidentId!);
  });
  after(() => h.close());

  it("reports the responder's previous and next shift, open incidents of every service, those of the last shift and the maintenance windows", async () => {
    const res = await h.request('GET', `/api/v1/users/${h.users.responder.id}/handoff`, { token: h.tokens.responder });
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json();
    const schedule = { id: scheduleId, name: 'Primary', timeZone: 'Europe/London' };
    assert.deepEqual(r.user, { id: h.users.responder.id, name: 'The responder' });
    assert.equal(r.at, '2026-03-03T10:00:00.000Z');
    assert.equal(r.currentShift, null);
    assert.deepEqual(r.previousShift, { schedule, start: '2026-03-02T09:00:00.000Z', end: '2026-03-03T09:00:00.000Z' });
    assert.deepEqual(r.nextShift, { schedule, start: '2026-03-04T09:00:00.000Z', end: '2026-03-05T09:00:00.000Z' });
    const nums = (list: { number: number }[]) => list.map((i) => i.number);
    assert.ok(numbers.later! > numbers.open!);
    assert.deepEqual(nums(r.openIncidents), [numbers.later, numbers.open], 'resolved incidents are left out');
    assert.deepEqual(nums(r.incidentsDuringPreviousShift), [numbers.resolved, numbers.open].sort((a, b) => b! - a!));
    assert.deepEqual(
      r.maintenanceWindows.map((w: { description: string; state: string }) => [w.description, w.state]),
      [
        ['active at the handoff', 'active'],
        ['next week', 'upcoming'],
      ],
    );
  });

  it('reports the current shift of someone on call now, through "me" too', async () => {
    const res = await h.request('GET', '/api/v1/users/me/handoff', { token: h.tokens.admin });
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json();
    assert.deepEqual([r.currentShift.start, r.currentShift.end], ['2026-03-03T09:00:00.000Z', '2026-03-04T09:00:00.000Z']);
    assert.deepEqual([r.nextShift.start, r.previousShift.start], ['2026-03-05T09:00:00.000Z', '2026-03-01T09:00:00.000Z']);
    assert.deepEqual(r.incidentsDuringPreviousShift, []);
  });

  it("lets an admin read anyone's report, and refuses everyone else with 403", async () => {
    const mine = await h.request('GET', `/api/v1/users/${h.users.responder.id}/handoff`, { token: h.tokens.responder });
    const admins = await h.request('GET', `/api/v1/users/${h.users.responder.id}/handoff`, { token: h.tokens.admin });
    assert.equal(admins.statusCode, 200, admins.body);
    assert.deepEqual(admins.json(), mine.json());

    for (const [token, id] of [
      [h.tokens.observer, h.users.responder.id],
      [h.tokens.responder, h.users.admin.id],
      [await h.token('admin', 'read'), h.users.responder.id],
    ] as const) {
      const res = await h.request('GET', `/api/v1/users/${id}/handoff`, { token });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(errorOf(res).code, 'FORBIDDEN');
    }
    const unknown = await h.request('GET', '/api/v1/users/00000000-0000-4000-8000-000000000000/handoff', { token: h.tokens.admin });
    assert.equal(unknown.statusCode, 404);
    const anonymous = await h.request('GET', `/api/v1/users/${h.users.responder.id}/handoff`);
    assert.equal(anonymous.statusCode, 401);
  });
});
