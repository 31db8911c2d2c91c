import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { createEngine, type Engine } from '../../engine/index.ts';
import { memoryLogger } from '../../engine/testing/harness.ts';
import type { Database } from '../../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { acknowledgeAlerts, applySignals, emptySignal } from '../alerts/index.ts';
import type { OutboundMessage } from '../contacts/index.ts';
import { createPolicy, escalateIncident, escalationJobs, findStalled, notifyJobs, setServicePolicy } from '../escalation/index.ts';
import { createService } from '../services/index.ts';
import { FakeClock } from '../shared/clock.ts';
import type { Ctx } from '../shared/context.ts';
import { isDomainError } from '../shared/errors.ts';
import { createUser } from '../users/index.ts';
import { acknowledgeIncident, resolveIncident } from './index.ts';

// The incident verbs (acknowledge, resolve) and manual escalation, with the engine and a
// recording channel on a fake clock: what is paged, when, and exactly how often.

const MINUTE = 60_000;
const T = '2026-03-02T10:00:00Z';

interface World {
  database: Database;
  clock: FakeClock;
  /** Dana, a responder, acting through her account. */
  dana: Ctx;
  ids: Record<string, string>;
  serviceId: string;
  sent: string[];
  engine: Engine;
}

/**
 * Level 0 pages Alice, level 1 Bob, 5 minutes apart, `repeat: 1` (two passes). Both have a
 * verified webhook with a rule at 0 minutes; Alice has a second one at 2 minutes.
 */
async function setUp(database: Database): Promise<World> {
  const clock = new FakeClock(T);
  const system: Ctx = { db: database.db, clock, actor: { type: 'system', name: 'test' } };
  const ids: Record<string, string> = {};
  for (const name of ['alice', 'bob', 'dana']) ids[name] = (await createUser(system, { email: `${name}@example.com`, name, role: 'responder' })).id;
  const now = clock.now();
  for (const name of ['alice', 'bob']) {
    const m = await database.db
      .insertInto('contact_methods')
      .values({ user_id: ids[name]!, type: 'webhook', label: 'Pager', address: `https://hooks.example.com/${name}`, verified_at: now, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const delay of name === 'alice' ? [0, 2] : [0]) {
      await database.db.insertInto('notification_rules').values({ user_id: ids[name]!, contact_method_id: m.id, urgency: 'high', delay_minutes: delay, created_at: now }).execute();
    }
  }
  const service = await createService(system, { name: 'Checkout' });
  // Time grouping: the alerts of one test join one incident.
  await database.db.updateTable('services').set({ alert_grouping: JSON.stringify({ mode: 'time', windowMinutes: 0 }) }).where('id', '=', service.id).execute();
  const policy = await createPolicy(system, {
    name: 'Checkout',
    repeat: 1,
    levels: [
      { delayMinutes: 5, targets: [{ type: 'user', id: ids.alice! }] },
      { delayMinutes: 5, targets: [{ type: 'user', id: ids.bob! }] },
    ],
  });
  await setServicePolicy(system, service.id, policy.id);
  const sent: string[] = [];
  const send = async (address: string, _message: OutboundMessage) => void sent.push(address.replace('https://hooks.example.com/', ''));
  const engine = createEngine({
    database,
    clock,
    handlers: [escalationJobs, notifyJobs({ email: send, webhook: send, slack: send, slack_webhook: send, teams: send, sms: send, voice: send }, { publicUrl: 'https://vigil.example.com' })],
    logger: memoryLogger(),
    random: () => 0,
  });
  const dana: Ctx = { db: database.db, clock, actor: { type: 'user', id: ids.dana!, name: 'dana', role: 'responder' }, requestId: 'req-1' };
  return { database, clock, dana, ids, serviceId: service.id, sent, engine };
}

/** Two alerts (two dedup keys) on one incident; returns the incident id and number and the alert ids. */
async function trigger(w: World) {
  const results = await w.database.db.transaction().execute((tx) =>
    applySignals(
      tx,
      w.clock.now(),
      ['db-down', 'api-down'].map((dedupKey) => ({ target: { serviceId: w.serviceId }, signal: { ...emptySignal('generic', 'trigger'), dedupKey, summary: dedupKey, severity: 'critical' as const } })),
    ),
  );
  const incidentId = results[0]!.incidentId!;
  assert.equal(results[1]!.incidentId, incidentId, 'both alerts group into one incident');
  const { number } = await w.database.db.selectFrom('incidents').select('number').where('id', '=', incidentId).executeTakeFirstOrThrow();
  return { incidentId, number, alertIds: results.map((r) => r.alertId!) };
}

const advance = async (w: World, minutes: number) => {
  w.clock.advance(minutes * MINUTE);
  await w.engine.drain();
  await w.engine.drain();
};
const escalationOf = (w: World, incidentId: string) => w.database.db.selectFrom('escalations').selectAll().where('incident_id', '=', incidentId).executeTakeFirstOrThrow();
const alertsOf = (w: World, incidentId: string) => w.database.db.selectFrom('alerts').select(['id', 'status']).where('incident_id', '=', incidentId).orderBy('number').execute();
const pending = (w: World) => w.database.db.selectFrom('jobs').select(['key', 'run_at']).where('failed_at', 'is', null).execute();

async function rejects(promise: Promise<unknown>, code: string, pattern?: RegExp): Promise<Error & { details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (e) {
    assert.ok(isDomainError(e), String(e));
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return e;
  }
  assert.fail(`expected ${code}`);
}

eachDatabase('incident acknowledge, resolve and manual escalation', (kind) => {
  let w: World;
  beforeEach(async () => {
    w = await setUp(await createTestDatabase(kind));
  });
  afterEach(async () => {
    await w.engine.stop();
    await w.database.close();
  });

  it("acknowledging an incident acknowledges its alerts, stops its escalation and cancels its queued pages", async () => {
    const { incidentId, number } = await trigger(w);
    await w.engine.drain();
    await w.engine.drain();
    assert.deepEqual(w.sent, ['alice'], 'level 0 at once; the 2-minute rule waits');
    w.clock.advance(MINUTE);
    const result = await acknowledgeIncident(w.dana, `#${number}`);
    assert.equal(result.incident.status, 'acknowledged');
    assert.equal(result.changed.length, 2);
    assert.deepEqual((await alertsOf(w, incidentId)).map((a) => a.status), ['acknowledged', 'acknowledged']);
    const escalation = await escalationOf(w, incidentId);
    assert.equal(escalation.stop_reason, 'acknowledged');
    assert.deepEqual((await pending(w)).filter((j) => j.key?.startsWith('escalation:')), [], 'the escalation.due job is gone');
    assert.deepEqual(await findStalled(w.database.db), []);
    const rows = await w.database.db.selectFrom('notifications').select(['level', 'delay_minutes', 'status']).where('incident_id', '=', incidentId).orderBy('delay_minutes').execute();
    assert.deepEqual(rows.map((r) => [r.level, r.delay_minutes, r.status]), [[0, 0, 'sent'], [0, 2, 'cancelled']]);
    await advance(w, 2);
    await advance(w, 30);
    assert.deepEqual(w.sent, ['alice'], 'nobody paged after the acknowledge');

    const events = await w.database.db.selectFrom('alert_events').select(['sender', 'action', 'actor_name', 'reason', 'request_id']).where('action', '=', 'acknowledge').execute();
    assert.deepEqual(events.map((e) => [e.sender, e.actor_name, e.reason, e.request_id]), [
      ['person', 'dana', `acknowledged by dana (incident #${number})`, 'req-1'],
      ['person', 'dana', `acknowledged by dana (incident #${number})`, 'req-1'],
    ]);
    const audit = await w.database.db.selectFrom('audit_log').select(['action', 'entity_id', 'actor_id', 'data']).where('action', 'like', '%.acknowledge').orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['alert.acknowledge', 'alert.acknowledge', 'incident.acknowledge']);
    const incidentAudit = audit.find((a) => a.action === 'incident.acknowledge')!;
    assert.equal(incidentAudit.entity_id, incidentId);
    assert.equal(incidentAudit.actor_id, w.ids.dana);

    const again = await acknowledgeIncident(w.dana, incidentId);
    assert.deepEqual([again.incident.status, again.changed.length], ['acknowledged', 0], 'a repeat changes nothing');
    assert.equal((await w.database.db.selectFrom('audit_log').select('id').where('action', '=', 'incident.acknowledge').execute()).length, 1, 'and is not audited again');
  });

  it('resolving an incident resolves every open alert, triggered or acknowledged, and ends its escalation', async () => {
    const { incidentId, number, alertIds } = await trigger(w);
    await w.engine.drain();
    const one = await w.database.db.selectFrom('alerts').select('number').where('id', '=', alertIds[0]!).executeTakeFirstOrThrow();
    await acknowledgeAlerts(w.dana, [String(one.number)]);
    assert.equal((await escalationOf(w, incidentId)).stopped_at, null, 'one triggered alert left: still escalating');
    const result = await resolveIncident(w.dana, String(number));
    assert.equal(result.incident.status, 'resolved');
    assert.ok(result.incident.resolvedAt);
    assert.equal(result.changed.length, 2);
    assert.deepEqual((await alertsOf(w, incidentId)).map((a) => a.status), ['resolved', 'resolved']);
    assert.equal((await escalationOf(w, incidentId)).stop_reason, 'resolved');
    await advance(w, 60);
    assert.deepEqual(w.sent, ['alice']);
    assert.equal((await resolveIncident(w.dana, String(number))).changed.length, 0, 'resolving again changes nothing');
    await rejects(acknowledgeIncident(w.dana, String(number)), 'PRECONDITION_FAILED', /is resolved/);
  });

  it('escalating to a level pages that level once now and moves the timer: the old deadline does not fire twice', async () => {
    const { incidentId, number } = await trigger(w);
    await w.engine.drain();
    await w.engine.drain();
    assert.deepEqual(w.sent, ['alice']);
    w.clock.advance(MINUTE); // T+1m
    const result = await escalateIncident(w.dana, String(number), { level: 1 });
    assert.deepEqual(result.fired, { level: 1, pass: 0, userIds: [w.ids.bob] });
    assert.equal(result.escalation!.nextRunAt!.toISOString(), new Date(new Date(T).getTime() + 6 * MINUTE).toISOString());
    assert.deepEqual(result.escalation!.steps.at(-1)!.manual, { by: w.ids.dana, requestedLevel: 1 });
    const timers = (await pending(w)).filter((j) => j.key === `escalation:${incidentId}`);
    assert.deepEqual(timers.map((j) => j.run_at.toISOString()), [new Date(new Date(T).getTime() + 6 * MINUTE).toISOString()], 'one timer, moved');
    assert.deepEqual(await findStalled(w.database.db), [], 'the paging auditor finds nothing stuck');
    await w.engine.drain();
    await w.engine.drain();
    assert.deepEqual(w.sent, ['alice', 'bob'], 'Bob at once');
    await advance(w, 1); // T+2m: Alice's 2-minute rule from level 0
    await advance(w, 3); // T+5m: the old level-1 deadline
    assert.deepEqual(w.sent, ['alice', 'bob', 'alice'], 'Bob is not paged again at the old deadline');
    await advance(w, 1); // T+6m: pass 1, level 0
    assert.deepEqual(w.sent.slice(3), ['alice']);
    const rows = await w.database.db.selectFrom('notifications').select(['level', 'pass', 'user_id']).where('incident_id', '=', incidentId).where('level', '=', 1).execute();
    assert.deepEqual(rows.map((r) => [r.level, r.pass, r.user_id]), [[1, 0, w.ids.bob]], 'level 1 paged once in pass 0');
    const audit = await w.database.db.selectFrom('audit_log').select(['entity_id', 'data']).where('action', '=', 'incident.escalate').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.entity_id, incidentId);
    assert.equal((audit[0]!.data as { requestedLevel: number }).requestedLevel, 1);
  });

  it('escalate now fires the next step at once', async () => {
    const { incidentId } = await trigger(w);
    await w.engine.drain();
    w.clock.advance(30_000);
    const result = await escalateIncident(w.dana, incidentId);
    assert.deepEqual(result.fired, { level: 1, pass: 0, userIds: [w.ids.bob] });
    assert.equal(result.escalation!.level, 0);
    assert.equal(result.escalation!.pass, 1);
    await w.engine.drain();
    await w.engine.drain();
    assert.deepEqual(w.sent, ['alice', 'bob']);
  });

  it('escalating to a level this pass already paged pages it again in a new pass', async () => {
    const { incidentId } = await trigger(w);
    await w.engine.drain();
    await w.engine.drain();
    w.clock.advance(MINUTE);
    const result = await escalateIncident(w.dana, incidentId, { level: 0 });
    assert.deepEqual(result.fired, { level: 0, pass: 1, userIds: [w.ids.alice] });
    assert.deepEqual([result.escalation!.level, result.escalation!.pass], [1, 1]);
    await w.engine.drain();
    assert.deepEqual(w.sent, ['alice', 'alice']);
    const keys = await w.database.db.selectFrom('notifications').select(['pass', 'delay_minutes']).where('incident_id', '=', incidentId).where('level', '=', 0).orderBy('pass').orderBy('delay_minutes').execute();
    assert.deepEqual(keys.map((k) => [k.pass, k.delay_minutes]), [[0, 0], [0, 2], [1, 0], [1, 2]]);
  });

  it('refuses a level outside the snapshot (VALIDATION on body.level) and an incident that is not escalating (PRECONDITION_FAILED)', async () => {
    const { incidentId, number } = await trigger(w);
    const bad = await rejects(escalateIncident(w.dana, incidentId, { level: 2 }), 'VALIDATION');
    assert.deepEqual((bad.details as { fields: { field: string }[] }).fields.map((f) => f.field), ['body.level']);
    await rejects(escalateIncident(w.dana, incidentId, { level: -1 }), 'VALIDATION');
    await rejects(escalateIncident(w.dana, '999999'), 'NOT_FOUND');
    await acknowledgeIncident(w.dana, String(number));
    await rejects(escalateIncident(w.dana, incidentId), 'PRECONDITION_FAILED', /is acknowledged/);
    // An incident on a service without a policy has no escalation at all.
    const bare = await createService({ ...w.dana, actor: { type: 'system', name: 'test' } }, { name: 'Bare' });
    const [r] = await w.database.db.transaction().execute((tx) =>
      applySignals(tx, w.clock.now(), [{ target: { serviceId: bare.id }, signal: { ...emptySignal('generic', 'trigger'), dedupKey: 'x', summary: 'x', severity: 'critical' } }]),
    );
    await rejects(escalateIncident(w.dana, r!.incidentId!), 'PRECONDITION_FAILED', /no escalation/);
    const observer: Ctx = { ...w.dana, actor: { type: 'user', id: w.ids.dana!, name: 'dana', role: 'observer' } };
    await rejects(escalateIncident(observer, r!.incidentId!), 'FORBIDDEN');
    await rejects(acknowledgeIncident(observer, r!.incidentId!), 'FORBIDDEN');
  });
});
