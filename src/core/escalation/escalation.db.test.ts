import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Database } from '../../storage/open-database.ts';
import type { Role } from '../../storage/schema.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { createSchedule, deleteSchedule } from '../schedules/index.ts';
import { createService } from '../services/index.ts';
import { FakeClock } from '../shared/clock.ts';
import { type Ctx, systemActor } from '../shared/context.ts';
import { type DomainError, isDomainError } from '../shared/errors.ts';
import { addTeamMember, createTeam } from '../teams/index.ts';
import { createUser } from '../users/index.ts';
import {
  createPolicy,
  deletePolicy,
  getPolicy,
  initialState,
  listPolicies,
  nextStep,
  previewPolicy,
  resolveTargets,
  allTargets,
  setServicePolicy,
  snapshotForService,
  updatePolicy,
} from './index.ts';

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
const fieldsOf = (e: DomainError) => (e.details?.fields as { field: string; reason: string }[]).map((f) => `${f.field}: ${f.reason}`);
const MISSING = '00000000-0000-4000-8000-000000000000';

eachDatabase('escalation policies storage and verbs', (kind) => {
  let database: Database;
  let clock: FakeClock;
  let system: Ctx;
  const people: Record<string, { id: string; ctx: Ctx }> = {};
  let teamId: string;
  let scheduleId: string;
  let emptyScheduleId: string;

  const person = async (name: string, role: Role) => {
    const user = await createUser(system, { email: `${name}@example.com`, name, role });
    people[name] = { id: user.id, ctx: { ...system, actor: { type: 'user', id: user.id, name, role } } };
  };
  const as = (name: string) => people[name]!.ctx;
  const id = (name: string) => people[name]!.id;
  const user = (name: string) => ({ type: 'user' as const, id: id(name) });
  const auditOf = (entityId: string) =>
    database.db.selectFrom('audit_log').select(['action', 'actor_name']).where('entity_id', '=', entityId).orderBy('id').execute();

  before(async () => {
    database = await createTestDatabase(kind);
    clock = new FakeClock('2026-03-02T10:00:00Z');
    system = { db: database.db, clock, actor: systemActor('test') };
    for (const [n, r] of [['alice', 'responder'], ['bob', 'responder'], ['carol', 'responder'], ['olivia', 'observer'], ['ada', 'admin']] as const) await person(n, r);
    teamId = (await createTeam(as('ada'), { name: 'SRE' })).id;
    await addTeamMember(as('ada'), teamId, id('carol'));
    await addTeamMember(as('ada'), teamId, id('bob'));
    // Daily at 09:00 UTC from 2 March: alice, then bob.
    const layer = { name: 'Primary', participants: [id('alice'), id('bob')], rotation: { unit: 'day' as const, length: 1 }, handoff: { date: '2026-03-02', time: '09:00' }, start: '2026-03-01T00:00:00Z' };
    scheduleId = (await createSchedule(as('alice'), { name: 'Payments primary', timeZone: 'UTC', layers: [layer] })).id;
    emptyScheduleId = (await createSchedule(as('alice'), { name: 'Nobody yet', timeZone: 'UTC' })).id;
  });
  after(() => database.close());

  it('creates a policy naming its targets, lists and gets it, and audits the creation', async () => {
    const p = await createPolicy(as('alice'), {
      name: ' Payments ',
      description: 'Card payments',
      teamId,
      repeat: 2,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'schedule', id: scheduleId }] },
        { delayMinutes: 10, mode: 'round-robin', targets: [{ type: 'team', id: teamId }, user('alice')] },
      ],
    });
    assert.equal(p.name, 'Payments');
    assert.equal(p.version, 1);
    assert.equal(p.repeat, 2);
    assert.deepEqual(p.levels, [
      { delayMinutes: 5, mode: 'all', targets: [{ type: 'schedule', id: scheduleId, name: 'Payments primary' }] },
      { delayMinutes: 10, mode: 'round-robin', targets: [{ type: 'team', id: teamId, name: 'SRE' }, { type: 'user', id: id('alice'), name: 'alice' }] },
    ]);
    assert.deepEqual(p.services, []);
    assert.deepEqual(await getPolicy(as('olivia'), p.id), p);
    assert.ok((await listPolicies(as('olivia'))).some((x) => x.id === p.id));
    assert.deepEqual(await auditOf(p.id), [{ action: 'escalation-policy.create', actor_name: 'alice' }]);
  });

  it('refuses targets that do not exist, naming each, and a name already in use', async () => {
    const e = await rejects(
      createPolicy(as('alice'), {
        name: 'Broken',
        teamId: MISSING,
        levels: [
          { delayMinutes: 5, targets: [user('bob')] },
          { delayMinutes: 5, targets: [{ type: 'schedule', id: MISSING }, { type: 'team', id: MISSING }, { type: 'user', id: MISSING }] },
        ],
      }),
      'VALIDATION',
    );
    assert.deepEqual(fieldsOf(e), ['levels.1.targets.0.id: no such schedule', 'levels.1.targets.1.id: no such team', 'levels.1.targets.2.id: no such user', 'teamId: no such team']);
    const levels = [{ delayMinutes: 5, targets: [user('bob')] }];
    await createPolicy(as('alice'), { name: 'Taken', levels });
    const taken = await rejects(createPolicy(as('bob'), { name: 'TAKEN', levels }), 'CONFLICT');
    assert.deepEqual(fieldsOf(taken), ['name: is already in use']);
    assert.deepEqual(fieldsOf(await rejects(createPolicy(as('alice'), { name: 'x', repeat: 10, levels: [] }), 'VALIDATION')), ['repeat: must be an integer from 0 to 9', 'levels: must have at least one level']);
    await rejects(createPolicy(as('olivia'), { name: 'Observer', levels }), 'FORBIDDEN');
  });

  it('updates the fields given, replaces the levels and counts the edit in version', async () => {
    const p = await createPolicy(as('alice'), { name: 'Edited', levels: [{ delayMinutes: 5, targets: [user('alice')] }] });
    const q = await updatePolicy(as('bob'), p.id, { repeat: 1, levels: [{ delayMinutes: 7, targets: [user('bob')] }, { delayMinutes: 3, targets: [user('carol')] }] });
    assert.equal(q.version, 2);
    assert.equal(q.name, 'Edited');
    assert.deepEqual(q.levels.map((l) => [l.delayMinutes, l.targets[0]!.name]), [[7, 'bob'], [3, 'carol']]);
    const e = await rejects(updatePolicy(as('bob'), p.id, { levels: [{ delayMinutes: 5, targets: [user('bob'), { type: 'schedule', id: MISSING }] }] }), 'VALIDATION');
    assert.deepEqual(fieldsOf(e), ['levels.0.targets.1.id: no such schedule']);
    await rejects(updatePolicy(as('bob'), MISSING, { name: 'x' }), 'NOT_FOUND');
    await rejects(updatePolicy(as('olivia'), p.id, { name: 'x' }), 'FORBIDDEN');
    assert.equal((await getPolicy(as('olivia'), p.id)).version, 2, 'failed edits change nothing');
    assert.deepEqual((await auditOf(p.id)).map((a) => a.action), ['escalation-policy.create', 'escalation-policy.update']);
  });

  it('points services at a policy; a policy in use is not deleted, and CONFLICT names its services', async () => {
    const p = await createPolicy(as('alice'), { name: 'In use', levels: [{ delayMinutes: 5, targets: [user('alice')] }] });
    const api = await createService(as('alice'), { name: 'API' });
    const web = await createService(as('alice'), { name: 'Web' });
    assert.deepEqual(await setServicePolicy(as('bob'), web.id, p.id), { serviceId: web.id, policy: { id: p.id, name: 'In use' } });
    await setServicePolicy(as('bob'), api.id, p.id);
    assert.deepEqual((await getPolicy(as('olivia'), p.id)).services, [{ id: api.id, name: 'API' }, { id: web.id, name: 'Web' }]);

    const inUse = await rejects(deletePolicy(as('ada'), p.id), 'CONFLICT');
    assert.deepEqual(inUse.details?.services, [{ id: api.id, name: 'API' }, { id: web.id, name: 'Web' }]);
    assert.match(inUse.message, /"API", "Web"/);

    await rejects(setServicePolicy(as('olivia'), api.id, null), 'FORBIDDEN');
    await rejects(setServicePolicy(as('bob'), MISSING, null), 'NOT_FOUND');
    assert.deepEqual(fieldsOf(await rejects(setServicePolicy(as('bob'), api.id, MISSING), 'VALIDATION')), ['policyId: no such escalation policy']);
    assert.deepEqual(await setServicePolicy(as('bob'), api.id, null), { serviceId: api.id, policy: null });
    await setServicePolicy(as('bob'), web.id, null);
    assert.deepEqual(await snapshotForService(database.db, web.id, clock.now()), null, 'a service without a policy pages nobody');

    await rejects(deletePolicy(as('bob'), p.id), 'FORBIDDEN');
    await deletePolicy(as('ada'), p.id);
    await rejects(getPolicy(as('olivia'), p.id), 'NOT_FOUND');
    await rejects(deletePolicy(as('ada'), p.id), 'NOT_FOUND');
    assert.deepEqual((await auditOf(p.id)).map((a) => a.action), ['escalation-policy.create', 'escalation-policy.delete']);
    assert.deepEqual((await auditOf(api.id)).map((a) => a.action).filter((a) => a.includes('escalation')), ['service.set-escalation-policy', 'service.set-escalation-policy']);
  });

  it('pointing a service at a policy being deleted waits for the delete and then finds no such policy', { skip: kind === 'pglite' ? 'one connection: transactions never overlap' : false }, async () => {
    const p = await createPolicy(as('alice'), { name: 'Racing', levels: [{ delayMinutes: 5, targets: [user('alice')] }] });
    const service = await createService(as('alice'), { name: 'Racer' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    // A delete in progress: the policy row locked, the row gone, not yet committed.
    const deleting = database.db.transaction().execute(async (tx) => {
      await tx.selectFrom('escalation_policies').select('id').where('id', '=', p.id).forUpdate().execute();
      await tx.deleteFrom('escalation_policies').where('id', '=', p.id).execute();
      locked();
      await held;
    });
    await lockTaken;
    let settled = false;
    const setting = setServicePolicy(as('bob'), service.id, p.id).finally(() => (settled = true));
    setting.catch(() => {});
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(settled, false, 'waits for the delete');
    release();
    await deleting;
    assert.deepEqual(fieldsOf(await rejects(setting, 'VALIDATION')), ['policyId: no such escalation policy']);
  });

  it('previews who each level would page: the schedule by who is on call at `at`, the team by its members, empty levels skipped', async () => {
    const p = await createPolicy(as('alice'), {
      name: 'Preview',
      repeat: 1,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'schedule', id: scheduleId }, user('alice')] },
        { delayMinutes: 30, targets: [{ type: 'schedule', id: emptyScheduleId }] },
        { delayMinutes: 10, mode: 'round-robin', targets: [{ type: 'team', id: teamId }] },
      ],
    });
    const monday = await previewPolicy(as('olivia'), p.id, '2026-03-02T12:00:00Z');
    assert.deepEqual(monday.levels.map((l) => [l.users.map((u) => u.name), l.skipped]), [[['alice'], false], [[], true], [['bob', 'carol'], false]]);
    assert.deepEqual(monday.levels[0]!.targets.map((t) => [t.name, t.users.map((u) => u.name)]), [['Payments primary', ['alice']], ['alice', ['alice']]]);
    assert.deepEqual(
      monday.timeline.map((s) => [s.at, s.level, s.pass, s.users.map((u) => u.name), s.skipped.length]),
      [
        ['2026-03-02T12:00:00.000Z', 0, 0, ['alice'], 0],
        ['2026-03-02T12:05:00.000Z', 2, 0, ['bob'], 1],
        ['2026-03-02T12:15:00.000Z', 0, 1, ['alice'], 0],
        ['2026-03-02T12:20:00.000Z', 2, 1, ['carol'], 1],
      ],
    );
    const tuesday = await previewPolicy(as('olivia'), p.id, '2026-03-03T12:00:00+01:00');
    assert.equal(tuesday.at, '2026-03-03T11:00:00.000Z');
    assert.deepEqual(tuesday.levels[0]!.users.map((u) => u.name), ['bob', 'alice']);
    const now = await previewPolicy(as('olivia'), p.id);
    assert.equal(now.at, '2026-03-02T10:00:00.000Z');
    assert.deepEqual(fieldsOf(await rejects(previewPolicy(as('olivia'), p.id, 'tomorrow'), 'VALIDATION')), ['query.at: must be an ISO 8601 instant with an offset']);
    await rejects(previewPolicy(as('olivia'), MISSING), 'NOT_FOUND');
  });

  it('resolves a schedule deleted since to nobody, so its level is skipped', async () => {
    const layer = { name: 'L', participants: [id('carol')], rotation: { unit: 'day' as const, length: 1 }, handoff: { date: '2026-03-02', time: '09:00' }, start: '2026-03-01T00:00:00Z' };
    const doomed = (await createSchedule(as('alice'), { name: 'Doomed', timeZone: 'UTC', layers: [layer] })).id;
    const p = await createPolicy(as('alice'), { name: 'Doomed policy', levels: [{ delayMinutes: 5, targets: [{ type: 'schedule', id: doomed }] }, { delayMinutes: 5, targets: [user('bob')] }] });
    assert.deepEqual((await previewPolicy(as('olivia'), p.id)).levels[0]!.users.map((u) => u.name), ['carol']);
    await deleteSchedule(as('ada'), doomed);
    const after = await previewPolicy(as('olivia'), p.id);
    assert.deepEqual(after.levels[0]!.targets[0]!.name, null);
    assert.deepEqual(after.timeline.map((s) => [s.level, s.users.map((u) => u.name), s.skipped]), [[1, ['bob'], [{ level: 0, pass: 0 }]]]);
  });

  it('keeps an escalation that started before an edit on its snapshot; escalations started after use the edited policy', async () => {
    const p = await createPolicy(as('alice'), {
      name: 'Mid-flight',
      levels: [
        { delayMinutes: 5, targets: [user('alice')] },
        { delayMinutes: 10, targets: [user('bob')] },
        { delayMinutes: 15, targets: [user('carol')] },
      ],
    });
    const service = await createService(as('alice'), { name: 'Checkout' });
    await setServicePolicy(as('alice'), service.id, p.id);

    // An incident starts: the escalation takes its snapshot and fires level 0.
    const started = clock.now();
    const snapshot = (await snapshotForService(database.db, service.id, started))!;
    const copy = structuredClone(snapshot);
    const first = nextStep(snapshot, initialState(), started, await resolveTargets(database.db, allTargets(snapshot), started));
    assert.deepEqual(first.fired?.userIds, [id('alice')]);

    // Two minutes later someone rewrites the policy: level 1 now pages carol, level 2 is gone.
    clock.advance(2 * 60_000);
    await updatePolicy(as('bob'), p.id, { levels: [{ delayMinutes: 1, targets: [user('alice')] }, { delayMinutes: 1, targets: [user('carol')] }] });

    // The running escalation continues on its snapshot: bob at +5 min, then carol at +15, then done.
    assert.deepEqual(snapshot, copy, 'the snapshot is unchanged by the edit');
    const second = nextStep(snapshot, first.next!.state, first.next!.runAt, await resolveTargets(database.db, allTargets(snapshot), first.next!.runAt));
    assert.deepEqual([second.fired?.level, second.fired?.userIds], [1, [id('bob')]]);
    assert.equal(first.next!.runAt.toISOString(), new Date(started.getTime() + 5 * 60_000).toISOString());
    const third = nextStep(snapshot, second.next!.state, second.next!.runAt, await resolveTargets(database.db, allTargets(snapshot), second.next!.runAt));
    assert.deepEqual([third.fired?.level, third.fired?.userIds, third.next], [2, [id('carol')], null]);

    // A new incident after the edit starts from the edited policy.
    const fresh = (await snapshotForService(database.db, service.id, clock.now()))!;
    assert.equal(snapshot.version, 1);
    assert.equal(fresh.version, 2);
    assert.deepEqual(fresh.levels.map((l) => [l.delayMinutes, l.targets[0]!.id]), [[1, id('alice')], [1, id('carol')]]);
  });
});
