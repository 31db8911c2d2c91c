import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { createEngine, type Engine } from '../../engine/index.ts';
import { memoryLogger } from '../../engine/testing/harness.ts';
import type { Database } from '../../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { acknowledgeAlerts, applySignals, emptySignal } from '../alerts/index.ts';
import type { OutboundMessage } from '../contacts/index.ts';
import { createPolicy, escalateIncident, escalationJobs, findStalled, listNotifications, notifyJobs, setServicePolicy, updatePolicy } from '../escalation/index.ts';
import { createService } from '../services/index.ts';
import { createWebhook } from '../webhooks/index.ts';
import { FakeClock } from '../shared/clock.ts';
import type { Ctx } from '../shared/context.ts';
import { isDomainError } from '../shared/errors.ts';
import { createUser } from '../users/index.ts';
import { acknowledgeIncident, incidentJobs, reassignIncident, resolveIncident } from './index.ts';

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
  policyId: string;
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
    handlers: [escalationJobs, incidentJobs, notifyJobs({ email: send, webhook: send, slack: send, slack_webhook: send, teams: send, sms: send, voice: send }, { publicUrl: 'https://vigil.example.com' })],
    logger: memoryLogger(),
    random: () => 0,
  });
  const dana: Ctx = { db: database.db, clock, actor: { type: 'user', id: ids.dana!, name: 'dana', role: 'responder' }, requestId: 'req-1' };
  return { database, clock, dana, ids, serviceId: service.id, policyId: policy.id, sent, engine };
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

  it('an acknowledgement not resolved within the policy timeout triggers the incident again and pages from level 0 anew', async () => {
    await updatePolicy(w.dana, w.policyId, { ackTimeoutMinutes: 10 });
    const { incidentId, number } = await trigger(w);
    await advance(w, 0);
    w.clock.advance(MINUTE); // T+1m
    await acknowledgeIncident(w.dana, String(number));
    const armed = (await pending(w)).filter((j) => j.key === `ack-timeout:${incidentId}`);
    assert.deepEqual(armed.map((j) => j.run_at.toISOString()), [new Date(new Date(T).getTime() + 11 * MINUTE).toISOString()], 'armed for 10 minutes after the acknowledgement');
    await advance(w, 9); // T+10m: still acknowledged
    assert.deepEqual(w.sent, ['alice']);
    assert.equal((await alertsOf(w, incidentId)).every((a) => a.status === 'acknowledged'), true);
    await advance(w, 1); // T+11m: timed out
    const incident = await w.database.db.selectFrom('incidents').select(['status', 'acknowledged_at']).where('id', '=', incidentId).executeTakeFirstOrThrow();
    assert.deepEqual([incident.status, incident.acknowledged_at], ['triggered', null]);
    assert.deepEqual((await alertsOf(w, incidentId)).map((a) => a.status), ['triggered', 'triggered']);
    assert.deepEqual(w.sent, ['alice', 'alice'], 'level 0 paged again at once');
    const log = await listNotifications(w.dana, incidentId);
    assert.equal(log.escalation!.restarts, 1);
    assert.equal(log.escalation!.stoppedAt, null);
    assert.deepEqual(log.escalation!.steps.find((s) => s.restart)?.restart, { reason: 'ack timeout', by: null });
    assert.deepEqual(log.notifications.map((n) => [n.restart, n.level, n.delayMinutes, n.status]), [[0, 0, 0, 'sent'], [0, 0, 2, 'cancelled'], [1, 0, 0, 'sent'], [1, 0, 2, 'queued']]);
    const events = await w.database.db.selectFrom('alert_events').select(['decision', 'reason']).where('decision', '=', 'retriggered').execute();
    assert.equal(events.length, 2);
    assert.match(events[0]!.reason, /acknowledged 10 minutes ago and not resolved/);
    assert.equal((await w.database.db.selectFrom('audit_log').select('id').where('action', '=', 'incident.retrigger').execute()).length, 1);
    await advance(w, 2); // T+13m: Alice's 2-minute rule of the new start
    await advance(w, 3); // T+16m: level 1
    assert.deepEqual(w.sent, ['alice', 'alice', 'alice', 'bob']);
    assert.deepEqual(await findStalled(w.database.db), []);

    // A new acknowledgement arms a new timeout; a resolve before it disarms it.
    await acknowledgeIncident(w.dana, String(number));
    assert.equal((await pending(w)).filter((j) => j.key === `ack-timeout:${incidentId}`).length, 1);
    await advance(w, 5);
    await resolveIncident(w.dana, String(number));
    assert.deepEqual((await pending(w)).filter((j) => j.key?.startsWith('ack-timeout:')), [], 'the resolve disarmed it');
    await advance(w, 60);
    assert.deepEqual(w.sent, ['alice', 'alice', 'alice', 'bob']);
    assert.equal((await w.database.db.selectFrom('incidents').select('status').where('id', '=', incidentId).executeTakeFirstOrThrow()).status, 'resolved');
  });

  it('a timeout of an earlier acknowledgement does nothing once the incident was acknowledged again', async () => {
    await updatePolicy(w.dana, w.policyId, { ackTimeoutMinutes: 10 });
    const { incidentId, number } = await trigger(w);
    await advance(w, 0);
    await acknowledgeIncident(w.dana, String(number));
    const [job] = (await pending(w)).filter((j) => j.key === `ack-timeout:${incidentId}`);
    const { payload } = await w.database.db.selectFrom('jobs').select('payload').where('key', '=', `ack-timeout:${incidentId}`).executeTakeFirstOrThrow();
    assert.ok(job);
    // Stand in for a stale run: the acknowledgement it names is not the current one.
    await w.database.db.updateTable('incidents').set({ acknowledged_at: new Date(new Date(T).getTime() + 1) }).where('id', '=', incidentId).execute();
    await advance(w, 11);
    assert.equal((await w.database.db.selectFrom('incidents').select('status').where('id', '=', incidentId).executeTakeFirstOrThrow()).status, 'acknowledged');
    assert.deepEqual(w.sent, ['alice']);
    assert.equal((payload as { acknowledgedAt: string }).acknowledgedAt, T.replace('Z', '.000Z'));
  });

  it('reassigning to a person pages them now and again until acknowledged, and takes an acknowledged incident back to triggered', async () => {
    await createWebhook({ ...w.dana, actor: { type: 'system', name: 'test' } }, { url: 'https://hooks.example.com/incidents' });
    const { incidentId, number } = await trigger(w);
    await advance(w, 0);
    w.clock.advance(MINUTE);
    await acknowledgeIncident(w.dana, String(number));
    const log = await reassignIncident(w.dana, String(number), { userIds: [w.ids.bob!] });
    assert.equal(log.escalation!.policy.id, null);
    assert.equal(log.escalation!.policy.name, 'Reassigned to bob');
    assert.deepEqual(log.escalation!.steps.at(-1)!.restart, { reason: 'reassigned', by: w.ids.dana, to: 'bob' });
    assert.equal((await w.database.db.selectFrom('incidents').select('status').where('id', '=', incidentId).executeTakeFirstOrThrow()).status, 'triggered');
    await advance(w, 0);
    assert.deepEqual(w.sent, ['alice', 'bob'], 'Bob at once');
    await advance(w, 2); // Alice's old 2-minute rule was cancelled by the acknowledgement: nothing
    await advance(w, 3); // +5m: Bob again
    await advance(w, 5); // +10m: and a third time
    await advance(w, 30);
    assert.deepEqual(w.sent, ['alice', 'bob', 'bob', 'bob'], 'three pages to Bob, then the reassignment has run its course');
    const after = await listNotifications(w.dana, incidentId);
    assert.equal(after.escalation!.stopReason, 'completed');
    const audit = await w.database.db.selectFrom('audit_log').select(['entity_id', 'actor_id', 'data']).where('action', '=', 'incident.reassign').execute();
    assert.deepEqual(audit.map((a) => [a.entity_id, a.actor_id, (a.data as { previousStatus: string }).previousStatus]), [[incidentId, w.ids.dana, 'acknowledged']]);
    const events = await w.database.db.selectFrom('webhook_events').select(['type', 'data']).where('incident_id', '=', incidentId).where('type', '=', 'incident.reassigned').execute();
    assert.deepEqual(events.map((e) => e.data), [{ by: w.ids.dana, to: 'bob', userIds: [w.ids.bob], previousStatus: 'acknowledged' }], 'subscribers hear of it');

    // Escalating after it ended starts it again from the top.
    const again = await escalateIncident(w.dana, String(number));
    assert.deepEqual(again.fired, { level: 0, pass: 0, userIds: [w.ids.bob] });
    assert.equal(again.escalation!.restarts, 2);
    await advance(w, 0);
    assert.deepEqual(w.sent.slice(4), ['bob']);
  });

  it('reassigning to a policy runs that policy from its first level and cancels the earlier queued pages', async () => {
    const { incidentId } = await trigger(w);
    await advance(w, 0);
    const other = await createPolicy(w.dana, { name: 'Bob only', levels: [{ delayMinutes: 10, targets: [{ type: 'user', id: w.ids.bob! }] }] });
    const log = await reassignIncident(w.dana, incidentId, { policyId: other.id });
    assert.deepEqual(log.escalation!.policy, { id: other.id, name: 'Bob only', version: 1 });
    assert.ok(log.notifications.some((n) => n.delayMinutes === 2 && n.status === 'cancelled'), "Alice's queued 2-minute page is cancelled");
    await advance(w, 0);
    await advance(w, 5);
    await advance(w, 30);
    assert.deepEqual(w.sent, ['alice', 'bob'], 'only Bob, once (one level, no repeat)');
  });

  it('refuses a reassignment without exactly one target, to unknown people or policies, of a resolved incident, and to observers', async () => {
    const { incidentId, number } = await trigger(w);
    const fields = async (input: Parameters<typeof reassignIncident>[2]) =>
      ((await rejects(reassignIncident(w.dana, incidentId, input), 'VALIDATION')).details as { fields: { field: string; reason: string }[] }).fields;
    assert.deepEqual((await fields({})).map((f) => f.field), ['body']);
    assert.deepEqual((await fields({ userIds: [w.ids.bob!], policyId: w.policyId })).map((f) => f.field), ['body']);
    assert.deepEqual((await fields({ userIds: [] })).map((f) => f.field), ['body.userIds']);
    assert.deepEqual(await fields({ userIds: [w.ids.bob!, '00000000-0000-4000-8000-000000000000'] }), [{ field: 'body.userIds.1', reason: 'no such user' }]);
    assert.deepEqual(await fields({ policyId: '00000000-0000-4000-8000-000000000000' }), [{ field: 'body.policyId', reason: 'no such escalation policy' }]);
    const observer: Ctx = { ...w.dana, actor: { type: 'user', id: w.ids.dana!, name: 'dana', role: 'observer' } };
    await rejects(reassignIncident(observer, incidentId, { userIds: [w.ids.bob!] }), 'FORBIDDEN');
    await resolveIncident(w.dana, String(number));
    await rejects(reassignIncident(w.dana, incidentId, { userIds: [w.ids.bob!] }), 'PRECONDITION_FAILED', /is resolved/);
  });
});
