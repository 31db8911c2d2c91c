import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import type { Database } from '../../storage/open-database.ts';
import type { Role } from '../../storage/schema.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { FakeClock } from '../shared/clock.ts';
import { type Ctx, systemActor } from '../shared/context.ts';
import { type DomainError, isDomainError } from '../shared/errors.ts';
import { createUser } from '../users/index.ts';
import {
  acceptSwap,
  addOverride,
  addTemporarySchedule,
  cancelSwap,
  createSchedule,
  declineSwap,
  deleteSchedule,
  getOnCall,
  getSchedule,
  getShifts,
  type LayerInput,
  listOnCall,
  listOverrides,
  listSchedules,
  loadSchedule,
  requestSwap,
  updateSchedule,
} from './index.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Rejects with a DomainError of `code`; returns it for further checks. */
async function rejects(promise: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(isDomainError(e), String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}
const fieldsOf = (e: DomainError) => (e.details?.fields as { field: string; reason: string }[]).map((f) => f.field);

eachDatabase('schedules storage and verbs', (kind) => {
  let database: Database;
  let clock: FakeClock;
  let system: Ctx;
  const people: Record<string, { id: string; ctx: Ctx }> = {};

  const person = async (name: string, role: Role) => {
    const user = await createUser(system, { email: `${name}@example.com`, name, role });
    people[name] = { id: user.id, ctx: { ...system, actor: { type: 'user', id: user.id, name, role } } };
  };
  const as = (name: string) => people[name]!.ctx;
  const id = (name: string) => people[name]!.id;
  // Daily at 09:00 UTC from Monday 2 March 2026: alice, bob, carol, alice, …
  const daily = (participants: string[], extra: Partial<LayerInput> = {}): LayerInput => ({
    id: 'primary',
    name: 'Primary',
    participants,
    rotation: { unit: 'day', length: 1 },
    handoff: { date: '2026-03-02', time: '09:00' },
    start: '2026-03-01T00:00:00Z',
    ...extra,
  });
  const whoAt = async (scheduleId: string, at: string) => (await getOnCall(as('olivia'), scheduleId, at)).onCall.map((o) => o.user.name);

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    clock = new FakeClock('2026-03-02T08:00:00Z');
    system = { db: database.db, clock, actor: systemActor('test') };
    await person('alice', 'responder');
    await person('bob', 'responder');
    await person('carol', 'responder');
    await person('olivia', 'observer');
    await person('ada', 'admin');
  });
  afterEach(() => database.close());

  it('creates a schedule with layers, names its users and reports the gaps of the next 14 days', async () => {
    const s = await createSchedule(as('alice'), { name: ' Payments ', timeZone: 'UTC', layers: [daily([id('alice'), id('bob')])] });
    assert.equal(s.name, 'Payments');
    assert.deepEqual(
      s.users.map((u) => u.name),
      ['alice', 'bob'],
    );
    // The layer starts on 1 March, so from now (08:00 on 2 March) on someone is always on call.
    assert.deepEqual(s.gaps, []);
    assert.equal(s.coverage, 1);
    assert.deepEqual(s.horizon, { from: '2026-03-02T08:00:00.000Z', to: '2026-03-16T08:00:00.000Z' });

    const gappy = await createSchedule(as('alice'), {
      name: 'Office hours',
      timeZone: 'Europe/London',
      layers: [daily([id('carol')], { id: undefined, start: undefined, restrictions: [{ kind: 'daily', start: '09:00', end: '17:00' }] })],
    });
    assert.equal(gappy.layers[0]!.id, 'layer-1');
    assert.equal(gappy.layers[0]!.start, '2026-03-02T08:00:00.000Z', 'start defaults to now');
    assert.equal(gappy.gaps[0]!.start, '2026-03-02T08:00:00.000Z');
    assert.ok(gappy.coverage > 0.3 && gappy.coverage < 0.34);

    const list = await listSchedules(as('olivia'));
    assert.deepEqual(
      list.map((x) => [x.name, x.hasGapsNext14Days]),
      [
        ['Office hours', true],
        ['Payments', false],
      ],
    );
    const audit = await database.db.selectFrom('audit_log').select(['action', 'entity_id', 'actor_id']).where('entity_type', '=', 'schedule').orderBy('id').execute();
    assert.deepEqual(audit, [
      { action: 'schedule.create', entity_id: s.id, actor_id: id('alice') },
      { action: 'schedule.create', entity_id: gappy.id, actor_id: id('alice') },
    ]);
  });

  it('refuses unknown participants, bad layers, duplicate names and observers, naming the field', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    const e = await rejects(createSchedule(as('alice'), { name: 'X', timeZone: 'UTC', layers: [daily([id('alice'), id('bob'), ghost])] }), 'VALIDATION');
    assert.deepEqual(fieldsOf(e), ['layers.0.participants.2']);
    const bad = await rejects(
      createSchedule(as('alice'), { name: 'X', timeZone: 'Mars/Base', layers: [daily([id('alice')], { rotation: { unit: 'day', length: 400 } })] }),
      'VALIDATION',
    );
    assert.deepEqual(fieldsOf(bad), ['timeZone', 'layers.0.rotation.length']);
    await createSchedule(as('alice'), { name: 'Taken', timeZone: 'UTC' });
    const dup = await rejects(createSchedule(as('bob'), { name: 'TAKEN', timeZone: 'UTC' }), 'CONFLICT');
    assert.deepEqual(fieldsOf(dup), ['name']);
    await rejects(createSchedule(as('olivia'), { name: 'Mine', timeZone: 'UTC' }), 'FORBIDDEN');
    assert.equal((await listSchedules(as('olivia'))).length, 1);
  });

  it('lets an override win over the layer, in on-call answers and shifts alike', async () => {
    const s = await createSchedule(as('alice'), { name: 'Payments', timeZone: 'UTC', layers: [daily([id('alice'), id('bob')])] });
    assert.deepEqual(await whoAt(s.id, '2026-03-02T12:00:00Z'), ['alice']);
    const o = await addOverride(as('bob'), s.id, { userId: id('carol'), start: '2026-03-02T10:00:00Z', end: '2026-03-02T14:00:00Z', note: 'dentist' });
    assert.deepEqual(o.user, { id: id('carol'), name: 'carol' });
    assert.deepEqual(o.createdBy, { id: id('bob'), name: 'bob' });
    assert.deepEqual(await whoAt(s.id, '2026-03-02T12:00:00Z'), ['carol']);
    assert.deepEqual(await whoAt(s.id, '2026-03-02T14:00:00Z'), ['alice'], 'the end is exclusive');
    const shifts = await getShifts(as('olivia'), s.id, '2026-03-02T09:00:00Z', '2026-03-03T09:00:00Z');
    assert.deepEqual(
      shifts.shifts.map((x) => [x.user.name, x.start, x.end, x.source.type]),
      [
        ['alice', '2026-03-02T09:00:00.000Z', '2026-03-02T10:00:00.000Z', 'layer'],
        ['carol', '2026-03-02T10:00:00.000Z', '2026-03-02T14:00:00.000Z', 'override'],
        ['alice', '2026-03-02T14:00:00.000Z', '2026-03-03T09:00:00.000Z', 'layer'],
      ],
    );
    assert.deepEqual(
      (await listOverrides(as('olivia'), s.id)).map((x) => x.id),
      [o.id],
    );
    // Only the overrides overlapping the range are loaded into the calculator.
    const { schedule } = await loadSchedule(database.db, s.id, new Date('2026-03-05T00:00:00Z'), new Date('2026-03-06T00:00:00Z'));
    assert.deepEqual(schedule.overrides, []);

    await rejects(addOverride(as('olivia'), s.id, { userId: id('carol'), start: '2026-03-02T10:00:00Z', end: '2026-03-02T11:00:00Z' }), 'FORBIDDEN');
    const past = await rejects(addOverride(as('bob'), s.id, { userId: id('carol'), start: '2026-03-01T10:00:00Z', end: '2026-03-01T11:00:00Z' }), 'VALIDATION');
    assert.deepEqual(fieldsOf(past), ['end']);
    const backwards = await rejects(addOverride(as('bob'), s.id, { userId: null, start: '2026-03-04T10:00:00Z', end: '2026-03-04T09:00:00Z' }), 'VALIDATION');
    assert.deepEqual(fieldsOf(backwards), ['end']);
    await rejects(addOverride(as('bob'), '00000000-0000-4000-8000-000000000000', { userId: null, start: '2026-03-04T10:00:00Z', end: '2026-03-04T11:00:00Z' }), 'NOT_FOUND');
  });

  it('turns an accepted swap into an override in the same transaction; only the parties decide', async () => {
    const s = await createSchedule(as('alice'), { name: 'Payments', timeZone: 'UTC', layers: [daily([id('alice'), id('bob')])] });
    const range = { start: '2026-03-02T18:00:00Z', end: '2026-03-03T06:00:00Z' };
    // Bob is not on call then: alice is.
    const notMine = await rejects(requestSwap(as('bob'), s.id, { recipientId: id('carol'), ...range }), 'VALIDATION');
    assert.deepEqual(fieldsOf(notMine), ['start']);
    await rejects(requestSwap(as('alice'), s.id, { recipientId: id('alice'), ...range }), 'VALIDATION');

    const swap = await requestSwap(as('alice'), s.id, { recipientId: id('carol'), ...range, note: 'wedding' });
    assert.equal(swap.status, 'requested');
    assert.deepEqual([swap.requester.name, swap.recipient.name], ['alice', 'carol']);
    assert.deepEqual(await whoAt(s.id, '2026-03-02T20:00:00Z'), ['alice'], 'nothing changes before it is accepted');

    await rejects(acceptSwap(as('alice'), s.id, swap.id), 'FORBIDDEN');
    await rejects(acceptSwap(as('bob'), s.id, swap.id), 'FORBIDDEN');
    await rejects(declineSwap(as('bob'), s.id, swap.id), 'FORBIDDEN');
    await rejects(cancelSwap(as('carol'), s.id, swap.id), 'FORBIDDEN');
    await rejects(acceptSwap(as('olivia'), s.id, swap.id), 'FORBIDDEN');

    const accepted = await acceptSwap(as('carol'), s.id, swap.id);
    assert.equal(accepted.status, 'accepted');
    assert.ok(accepted.overrideId);
    assert.deepEqual(await whoAt(s.id, '2026-03-02T20:00:00Z'), ['carol']);
    assert.deepEqual(await whoAt(s.id, '2026-03-03T06:00:00Z'), ['alice']);
    const [override] = await listOverrides(as('olivia'), s.id);
    assert.equal(override!.id, accepted.overrideId);
    assert.deepEqual([override!.user?.name, override!.replacesUser?.name], ['carol', 'alice']);
    await rejects(acceptSwap(as('carol'), s.id, swap.id), 'PRECONDITION_FAILED');
    await rejects(cancelSwap(as('alice'), s.id, swap.id), 'PRECONDITION_FAILED');

    // The requester cancels, the recipient declines; an admin may do either.
    const later = { start: '2026-03-04T10:00:00Z', end: '2026-03-04T12:00:00Z' };
    const a = await requestSwap(as('alice'), s.id, { recipientId: id('bob'), ...later });
    assert.equal((await cancelSwap(as('alice'), s.id, a.id)).status, 'cancelled');
    const b = await requestSwap(as('alice'), s.id, { recipientId: id('bob'), ...later });
    assert.equal((await declineSwap(as('bob'), s.id, b.id)).status, 'declined');
    const c = await requestSwap(as('alice'), s.id, { recipientId: id('bob'), ...later });
    assert.equal((await acceptSwap(as('ada'), s.id, c.id)).status, 'accepted');

    const actions = await database.db.selectFrom('audit_log').select('action').where('entity_id', '=', s.id).orderBy('id').execute();
    assert.deepEqual(
      actions.map((x) => x.action),
      ['schedule.create', 'schedule.swap.request', 'schedule.swap.accept', 'schedule.swap.request', 'schedule.swap.cancel', 'schedule.swap.request', 'schedule.swap.decline', 'schedule.swap.request', 'schedule.swap.accept'],
    );
  });

  it('applies a layer edit from the moment it is made: shifts already past stay as they were', async () => {
    const s = await createSchedule(as('alice'), { name: 'Payments', timeZone: 'UTC', layers: [daily([id('alice'), id('bob')])] });
    clock.set('2026-03-04T12:00:00Z');
    const before = await getShifts(as('olivia'), s.id, '2026-03-02T09:00:00Z', '2026-03-06T09:00:00Z');
    const updated = await updateSchedule(as('bob'), s.id, { layers: [daily([id('carol')])] });
    assert.equal(updated.layersFrom?.toISOString(), '2026-03-04T12:00:00.000Z');
    assert.deepEqual(updated.users.map((u) => u.name), ['carol']);
    const after = await getShifts(as('olivia'), s.id, '2026-03-02T09:00:00Z', '2026-03-06T09:00:00Z');
    assert.deepEqual(
      after.shifts.map((x) => [x.user.name, x.start, x.end]),
      [
        ['alice', '2026-03-02T09:00:00.000Z', '2026-03-03T09:00:00.000Z'],
        ['bob', '2026-03-03T09:00:00.000Z', '2026-03-04T09:00:00.000Z'],
        ['alice', '2026-03-04T09:00:00.000Z', '2026-03-04T12:00:00.000Z'],
        ['carol', '2026-03-04T12:00:00.000Z', '2026-03-06T09:00:00.000Z'],
      ],
    );
    assert.deepEqual(after.shifts.slice(0, 2), before.shifts.slice(0, 2));

    // A zone change applies from now too: the old layers keep reading 09:00 in UTC.
    clock.set('2026-03-05T12:00:00Z');
    await updateSchedule(as('bob'), s.id, { timeZone: 'America/New_York' });
    const zoned = await getShifts(as('olivia'), s.id, '2026-03-05T00:00:00Z', '2026-03-07T00:00:00Z');
    assert.deepEqual(
      zoned.shifts.map((x) => [x.user.name, x.start, x.end]),
      [['carol', '2026-03-05T00:00:00.000Z', '2026-03-07T00:00:00.000Z']],
      'one person: the handoffs move, the person does not',
    );
    const history = await database.db.selectFrom('schedule_layer_history').select(['valid_from', 'valid_to']).where('schedule_id', '=', s.id).orderBy('valid_to').execute();
    assert.deepEqual(history, [
      { valid_from: null, valid_to: new Date('2026-03-04T12:00:00Z') },
      { valid_from: new Date('2026-03-04T12:00:00Z'), valid_to: new Date('2026-03-05T12:00:00Z') },
    ]);

    // Two edits at the same instant: the first never was in force, so it leaves no history.
    await updateSchedule(as('bob'), s.id, { layers: [daily([id('alice')])] });
    assert.equal((await database.db.selectFrom('schedule_layer_history').select('id').where('schedule_id', '=', s.id).execute()).length, 2);
    const bad = await rejects(updateSchedule(as('bob'), s.id, { layers: [daily([id('alice')], { handoff: { date: '2026-02-30', time: '25:00' } })] }), 'VALIDATION');
    assert.deepEqual(fieldsOf(bad), ['layers.0.handoff.date', 'layers.0.handoff.time']);
    await rejects(updateSchedule(as('olivia'), s.id, { name: 'Mine' }), 'FORBIDDEN');
  });

  it('lets a temporary schedule replace everything in its range, and refuses overlapping ones', async () => {
    const s = await createSchedule(as('alice'), { name: 'Payments', timeZone: 'UTC', layers: [daily([id('alice')])] });
    await addOverride(as('alice'), s.id, { userId: id('bob'), start: '2026-03-03T00:00:00Z', end: '2026-03-04T00:00:00Z' });
    const t = await addTemporarySchedule(as('alice'), s.id, {
      start: '2026-03-03T00:00:00Z',
      end: '2026-03-03T12:00:00Z',
      shifts: [{ userId: id('carol'), start: '2026-03-03T00:00:00Z', end: '2026-03-03T06:00:00Z' }],
    });
    assert.deepEqual(t.shifts[0]!.user, { id: id('carol'), name: 'carol' });
    assert.deepEqual(await whoAt(s.id, '2026-03-03T01:00:00Z'), ['carol']);
    assert.deepEqual(await whoAt(s.id, '2026-03-03T07:00:00Z'), [], 'nobody where no shift of it covers');
    assert.deepEqual(await whoAt(s.id, '2026-03-03T13:00:00Z'), ['bob']);
    const overlap = await rejects(addTemporarySchedule(as('alice'), s.id, { start: '2026-03-03T11:00:00Z', end: '2026-03-03T13:00:00Z', shifts: [] }), 'VALIDATION');
    assert.deepEqual(fieldsOf(overlap), ['start']);
    const outside = await rejects(
      addTemporarySchedule(as('alice'), s.id, { start: '2026-03-05T00:00:00Z', end: '2026-03-05T06:00:00Z', shifts: [{ userId: id('bob'), start: '2026-03-05T05:00:00Z', end: '2026-03-05T07:00:00Z' }] }),
      'VALIDATION',
    );
    assert.deepEqual(fieldsOf(outside), ['shifts.0']);
  });

  it('caps a shifts request at 366 days and answers everyone on call across schedules', async () => {
    const s = await createSchedule(as('alice'), { name: 'Payments', timeZone: 'UTC', layers: [daily([id('alice'), id('bob')])] });
    await createSchedule(as('alice'), { name: 'Database', timeZone: 'UTC', layers: [daily([id('carol')])] });
    await createSchedule(as('alice'), { name: 'Empty', timeZone: 'UTC' });
    const tooLong = await rejects(getShifts(as('olivia'), s.id, '2026-03-02T00:00:00Z', new Date(Date.parse('2026-03-02T00:00:00Z') + 367 * DAY).toISOString()), 'VALIDATION');
    assert.deepEqual(fieldsOf(tooLong), ['query.to']);
    const year = await getShifts(as('olivia'), s.id, '2026-03-02T00:00:00Z', new Date(Date.parse('2026-03-02T00:00:00Z') + 366 * DAY).toISOString());
    assert.equal(year.shifts.length, 367);
    const everyone = await listOnCall(as('olivia'), '2026-03-03T10:00:00Z');
    assert.deepEqual(
      everyone.schedules.map((x) => [x.schedule.name, x.onCall.map((o) => o.user.name)]),
      [
        ['Database', ['carol']],
        ['Empty', []],
        ['Payments', ['bob']],
      ],
    );
    await rejects(deleteSchedule(as('alice'), s.id), 'FORBIDDEN');
    await deleteSchedule(as('ada'), s.id);
    await rejects(getSchedule(as('olivia'), s.id), 'NOT_FOUND');
  });
});
