import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createEngine, type Engine, scheduleJob } from '../../engine/index.ts';
import { memoryLogger } from '../../engine/testing/harness.ts';
import type { Database } from '../../storage/open-database.ts';
import {
  createPostgresTestDatabase,
  createTestDatabase,
  eachDatabase,
  openPostgresSchema,
  POSTGRES_SKIP_REASON,
  postgresTestUrl,
} from '../../storage/testing/test-database.ts';
import { applySignals, emptySignal } from '../alerts/index.ts';
import { createSchedule } from '../schedules/index.ts';
import { createService } from '../services/index.ts';
import { FakeClock } from '../shared/clock.ts';
import { type Ctx, systemActor } from '../shared/context.ts';
import { createUser } from '../users/index.ts';
import {
  createPolicy,
  escalationJobs,
  listNotifications,
  NO_USABLE_RULE,
  NOTIFY_MAX_ATTEMPTS,
  notifyJobs,
  type PageBody,
  runEscalationStep,
  setServicePolicy,
  findStalled,
} from './index.ts';
import type { OutboundMessage } from '../contacts/index.ts';

const MINUTE = 60_000;
const T = '2026-03-02T10:00:00Z';
const PUBLIC_URL = 'https://vigil.example.com';

interface Sent {
  address: string;
  page: PageBody;
  headers: Record<string, string> | undefined;
}

/** A recording channel: every page, and an optional failure to throw instead of sending. */
function recordingChannel() {
  const sent: Sent[] = [];
  const tried: Sent[] = [];
  const state = { failing: false };
  const send = async (address: string, message: OutboundMessage) => {
    const page = { address, page: message.body as unknown as PageBody, headers: message.headers };
    tried.push(page);
    if (state.failing) throw new Error('receiver down');
    sent.push(page);
  };
  return { sent, tried, state, senders: { email: send, webhook: send, slack: send, slack_webhook: send, teams: send, sms: send, voice: send } };
}

interface World {
  database: Database;
  clock: FakeClock;
  system: Ctx;
  ids: Record<string, string>;
  serviceId: string;
}

/**
 * Alice is on call in the schedule (level 0), Bob is level 1 directly, 5 minutes apart; both have
 * a verified webhook and a rule at 0 minutes for each urgency. Carol has only an unverified method.
 */
async function setUp(database: Database): Promise<World> {
  const clock = new FakeClock(T);
  const system: Ctx = { db: database.db, clock, actor: systemActor('test') };
  const ids: Record<string, string> = {};
  for (const name of ['alice', 'bob', 'carol']) ids[name] = (await createUser(system, { email: `${name}@example.com`, name, role: 'responder' })).id;
  const now = clock.now();
  for (const [name, verified] of [['alice', true], ['bob', true], ['carol', false]] as const) {
    const m = await database.db
      .insertInto('contact_methods')
      .values({ user_id: ids[name]!, type: 'webhook', label: 'Pager', address: `https://hooks.example.com/${name}`, verified_at: verified ? now : null, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[`${name}Method`] = m.id;
    for (const urgency of ['high', 'low'] as const) {
      await database.db.insertInto('notification_rules').values({ user_id: ids[name]!, contact_method_id: m.id, urgency, delay_minutes: 0, created_at: now }).execute();
    }
  }
  const layer = { name: 'Primary', participants: [ids.alice!], rotation: { unit: 'week' as const, length: 1 }, handoff: { date: '2026-03-01', time: '09:00' }, start: '2026-03-01T00:00:00Z' };
  ids.schedule = (await createSchedule(system, { name: 'Checkout primary', timeZone: 'UTC', layers: [layer] })).id;
  const service = await createService(system, { name: 'Checkout', runbookUrl: 'https://runbooks.example.com/checkout' });
  const policy = await createPolicy(system, {
    name: 'Checkout',
    levels: [
      { delayMinutes: 5, targets: [{ type: 'schedule', id: ids.schedule }] },
      { delayMinutes: 5, targets: [{ type: 'user', id: ids.bob! }] },
    ],
  });
  ids.policy = policy.id;
  await setServicePolicy(system, service.id, policy.id);
  return { database, clock, system, ids, serviceId: service.id };
}

const trigger = (w: World, dedupKey = 'checkout-down', serviceId = w.serviceId) =>
  w.database.db.transaction().execute((tx) =>
    applySignals(tx, w.clock.now(), [
      { target: { serviceId }, signal: { ...emptySignal('generic', 'trigger'), dedupKey, summary: 'Checkout is down', severity: 'critical' } },
    ]),
  );
const acknowledge = (w: World, dedupKey = 'checkout-down') =>
  w.database.db.transaction().execute((tx) =>
    applySignals(tx, w.clock.now(), [{ target: { serviceId: w.serviceId }, signal: { ...emptySignal('generic', 'acknowledge'), dedupKey } }]),
  );
const notificationsOf = (w: World, incidentId: string) =>
  w.database.db.selectFrom('notifications').selectAll().where('incident_id', '=', incidentId).orderBy('created_at').orderBy('level').execute();
const escalationOf = (w: World, incidentId: string) => w.database.db.selectFrom('escalations').selectAll().where('incident_id', '=', incidentId).executeTakeFirstOrThrow();

const newEngine = (w: World, channel: ReturnType<typeof recordingChannel>, database = w.database, nodeId?: string, throttleSeconds?: Record<string, number>) =>
  createEngine({
    database,
    clock: w.clock,
    handlers: [escalationJobs, notifyJobs(channel.senders, { publicUrl: PUBLIC_URL, ...(throttleSeconds ? { throttleSeconds } : {}) })],
    logger: memoryLogger(),
    random: () => 0,
    ...(nodeId ? { nodeId } : {}),
  });

eachDatabase('paging', (kind) => {
  let w: World;
  let channel: ReturnType<typeof recordingChannel>;
  let engine: Engine;

  beforeEach(async () => {
    w = await setUp(await createTestDatabase(kind));
    channel = recordingChannel();
    engine = newEngine(w, channel);
  });
  afterEach(async () => {
    await engine.stop();
    await w.database.close();
  });

  it('pages the on-call person once at T, not again, then level 2 exactly once at T+5m, then ends', async () => {
    const [result] = await trigger(w);
    const incidentId = result!.incidentId!;
    const escalation = await escalationOf(w, incidentId);
    assert.deepEqual((escalation.policy as { policyId: string; version: number }).policyId, w.ids.policy);
    const pending = await w.database.db.selectFrom('jobs').select(['kind', 'key', 'run_at']).execute();
    assert.deepEqual(pending.map((j) => [j.kind, j.key, j.run_at.toISOString()]), [['escalation.due', `escalation:${incidentId}`, new Date(T).toISOString()]], 'scheduled in the opening transaction');

    await engine.drain();
    assert.deepEqual(channel.sent.map((s) => s.address), ['https://hooks.example.com/alice']);
    const page = channel.sent[0]!.page;
    assert.equal(page.incident.url, `${PUBLIC_URL}/incidents/${result!.incidentId && page.incident.number}`);
    assert.equal(page.incident.title, 'Checkout is down');
    assert.equal(page.incident.urgency, 'high');
    assert.equal(page.incident.service.name, 'Checkout');
    assert.equal(page.incident.service.runbookUrl, 'https://runbooks.example.com/checkout');
    assert.equal(page.idempotencyKey, `${incidentId}:0:0:${w.ids.alice}:${w.ids.aliceMethod}:0`);

    await engine.drain();
    w.clock.advance(4 * MINUTE);
    await engine.drain();
    assert.equal(channel.sent.length, 1, 'nobody else before the level delay');

    w.clock.advance(MINUTE);
    await engine.drain();
    await engine.drain();
    assert.deepEqual(channel.sent.map((s) => s.address), ['https://hooks.example.com/alice', 'https://hooks.example.com/bob']);

    w.clock.advance(5 * MINUTE);
    await engine.drain();
    assert.equal(channel.sent.length, 2, 'the last level of the last pass ends the escalation');
    const done = await escalationOf(w, incidentId);
    assert.equal(done.stop_reason, 'completed');
    assert.ok(done.stopped_at);
    assert.deepEqual(done.steps.map((st) => [st.at, st.level, st.userIds, st.skipped]), [
      [new Date(T).toISOString(), 0, [w.ids.alice], []],
      [new Date(new Date(T).getTime() + 5 * MINUTE).toISOString(), 1, [w.ids.bob], []],
    ]);
    const rows = await notificationsOf(w, incidentId);
    assert.deepEqual(rows.map((r) => [r.level, r.user_id, r.status, r.attempts]), [[0, w.ids.alice, 'sent', 1], [1, w.ids.bob, 'sent', 1]]);
    assert.deepEqual(await w.database.db.selectFrom('jobs').select('key').execute(), []);
  });

  it('an acknowledge at T+3m stops the escalation: nobody is paged at T+5m', async () => {
    const [result] = await trigger(w);
    const incidentId = result!.incidentId!;
    await engine.drain();
    w.clock.advance(3 * MINUTE);
    const [ack] = await acknowledge(w);
    assert.equal(ack!.decision, 'acknowledged');
    const stopped = await escalationOf(w, incidentId);
    assert.equal(stopped.stop_reason, 'acknowledged');
    assert.deepEqual(await w.database.db.selectFrom('jobs').select('key').execute(), [], 'the escalation.due job is cancelled');
    w.clock.advance(2 * MINUTE);
    await engine.drain();
    w.clock.advance(30 * MINUTE);
    await engine.drain();
    assert.deepEqual(channel.sent.map((s) => s.address), ['https://hooks.example.com/alice']);
  });

  it('cancels a queued notification when the incident is acknowledged before its delay', async () => {
    // Alice's only rule now waits 2 minutes.
    await w.database.db.deleteFrom('notification_rules').where('user_id', '=', w.ids.alice!).execute();
    const now = w.clock.now();
    await w.database.db.insertInto('notification_rules').values({ user_id: w.ids.alice!, contact_method_id: w.ids.aliceMethod!, urgency: 'high', delay_minutes: 2, created_at: now }).execute();
    const [result] = await trigger(w);
    await engine.drain();
    assert.equal(channel.sent.length, 0);
    w.clock.advance(MINUTE);
    await acknowledge(w);
    w.clock.advance(5 * MINUTE);
    await engine.drain();
    assert.equal(channel.sent.length, 0);
    assert.deepEqual((await notificationsOf(w, result!.incidentId!)).map((r) => [r.delay_minutes, r.status]), [[2, 'cancelled']]);
  });

  it('sends once when the step and the send run twice', async () => {
    const [result] = await trigger(w);
    const incidentId = result!.incidentId!;
    // The step job runs twice at T (a crash after its commit): the second run finds it not due.
    await w.database.db.transaction().execute((tx) => runEscalationStep(tx, incidentId, w.clock.now()));
    await w.database.db.transaction().execute((tx) => runEscalationStep(tx, incidentId, w.clock.now()));
    await engine.drain();
    await engine.drain();
    assert.equal(channel.sent.length, 1);
    // A second notify.send for the same row (a retried job) finds it sent.
    const [row] = await notificationsOf(w, incidentId);
    await w.database.db.transaction().execute((tx) =>
      scheduleJob(tx, { kind: 'notify.send', key: 'notify:again', runAt: w.clock.now(), payload: { notificationId: row!.id } }),
    );
    await engine.drain();
    assert.equal(channel.sent.length, 1);
    assert.equal((await notificationsOf(w, incidentId)).length, 1);
  });

  it('retries a failing channel with backoff, then marks the notification failed', async () => {
    channel.state.failing = true;
    const [result] = await trigger(w);
    await engine.drain();
    for (let i = 0; i < 10; i++) {
      w.clock.advance(MINUTE); // engine backoff from 5 s doubling: every retry is due within a minute
      await engine.drain();
      if (w.clock.now().getTime() >= new Date(T).getTime() + 4 * MINUTE) break;
    }
    assert.equal(channel.tried.filter((s) => s.address.endsWith('/alice')).length, NOTIFY_MAX_ATTEMPTS);
    const [row] = await notificationsOf(w, result!.incidentId!);
    assert.equal(row!.status, 'failed');
    assert.equal(row!.attempts, NOTIFY_MAX_ATTEMPTS);
    assert.match(row!.last_error!, /receiver down/);
    assert.equal(channel.sent.length, 0);
  });

  it('after a method fails for good, pages the person through their next method at once: a later rule moved forward, else another verified method', async () => {
    const sentAt: string[] = [];
    const failing = recordingChannel();
    failing.state.failing = true;
    const email = async (address: string) => void sentAt.push(`${address}@${(w.clock.now().getTime() - new Date(T).getTime()) / 1000}s`);
    await engine.stop();
    engine = createEngine({ database: w.database, clock: w.clock, handlers: [escalationJobs, notifyJobs({ ...failing.senders, email } as never, { publicUrl: PUBLIC_URL })], logger: memoryLogger(), random: () => 0 });
    const now = w.clock.now();
    const mail = await w.database.db
      .insertInto('contact_methods')
      .values({ user_id: w.ids.alice!, type: 'email', label: 'Mail', address: 'alice@example.com', verified_at: now, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Alice's email rule is at 10 minutes: the webhook's failure brings it forward.
    await w.database.db.insertInto('notification_rules').values({ user_id: w.ids.alice!, contact_method_id: mail.id, urgency: 'high', delay_minutes: 10, created_at: now }).execute();
    const [result] = await trigger(w);
    await engine.drain();
    for (let i = 0; i < 6; i++) {
      w.clock.advance(MINUTE / 2); // the engine's backoff: 5 s doubling, the fifth attempt at +75 s
      await engine.drain();
    }
    const tries = failing.tried.filter((s) => s.address.endsWith('/alice')).length;
    assert.equal(tries, NOTIFY_MAX_ATTEMPTS, 'the webhook was tried to the end');
    assert.equal(sentAt.length, 1, `the email went out on failover, not at 10 minutes: ${sentAt.join(', ')}`);
    assert.ok(Number.parseFloat(sentAt[0]!.split('@').at(-1)!) <= 180, sentAt[0]);
    w.clock.advance(15 * MINUTE);
    await engine.drain();
    assert.equal(sentAt.filter((x) => x.startsWith('alice@')).length, 1, 'and not again at its own time');
    const rows = await notificationsOf(w, result!.incidentId!);
    const alice = rows.filter((r) => r.user_id === w.ids.alice);
    assert.deepEqual(alice.map((r) => r.status).sort(), ['failed', 'sent']);

    // Without a later rule: another verified method gets a failover row, once.
    await w.database.db.deleteFrom('notification_rules').where('contact_method_id', '=', mail.id).execute();
    const [again] = await trigger(w, 'third-incident');
    await engine.drain();
    for (let i = 0; i < 6; i++) {
      w.clock.advance(MINUTE / 2); // the engine's backoff: 5 s doubling, the fifth attempt at +75 s
      await engine.drain();
    }
    const third = (await notificationsOf(w, again!.incidentId!)).filter((r) => r.user_id === w.ids.alice);
    assert.deepEqual(third.map((r) => [r.status, r.idempotency_key.includes(':failover:')]).sort(), [['failed', false], ['sent', true]]);
  });

  it('records a person without a usable rule on a verified method as unreachable', async () => {
    const service = await createService(w.system, { name: 'Carol service' });
    const policy = await createPolicy(w.system, { name: 'Carol only', levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: w.ids.carol! }] }] });
    await setServicePolicy(w.system, service.id, policy.id);
    const [result] = await trigger(w, 'carol', service.id);
    await engine.drain();
    assert.equal(channel.tried.length, 0);
    const rows = await notificationsOf(w, result!.incidentId!);
    assert.deepEqual(rows.map((r) => [r.user_id, r.contact_method_id, r.status, r.last_error]), [[w.ids.carol, null, 'failed', NO_USABLE_RULE]]);
    const log = await listNotifications(w.system, result!.incidentId!);
    assert.equal(log.escalation?.stopReason, 'completed');
    assert.deepEqual(log.notifications.map((n) => [n.user?.name, n.status, n.lastError]), [['carol', 'failed', NO_USABLE_RULE]]);
  });

  it('records "paged nobody" with the skipped levels when every level resolves to nobody', async () => {
    const empty = await createSchedule(w.system, { name: 'Nobody yet', timeZone: 'UTC' });
    const service = await createService(w.system, { name: 'Orphan' });
    const policy = await createPolicy(w.system, { name: 'Empty', repeat: 1, levels: [{ delayMinutes: 5, targets: [{ type: 'schedule', id: empty.id }] }] });
    await setServicePolicy(w.system, service.id, policy.id);
    const [result] = await trigger(w, 'orphan', service.id);
    await engine.drain();
    const e = await escalationOf(w, result!.incidentId!);
    assert.equal(e.stop_reason, 'paged nobody');
    assert.deepEqual(e.steps.map((st) => [st.level, st.userIds, st.skipped.map((k) => [k.level, k.pass, k.reason])]), [
      [null, [], [[0, 0, 'resolves to nobody'], [0, 1, 'resolves to nobody']]],
    ]);
    assert.deepEqual(await notificationsOf(w, result!.incidentId!), []);
    assert.equal((await listNotifications(w.system, result!.incidentId!)).escalation?.steps.length, 1);
  });

  it('starts no escalation for a service without a policy or a suppressed alert', async () => {
    const bare = await createService(w.system, { name: 'No policy' });
    const [r1] = await trigger(w, 'bare', bare.id);
    assert.ok(r1!.incidentId);
    await w.database.db
      .insertInto('maintenance_windows')
      .values({ service_id: w.serviceId, description: 'upgrade', starts_at: new Date(w.clock.now().getTime() - MINUTE), ends_at: new Date(w.clock.now().getTime() + 60 * MINUTE), created_by: 'test', created_at: w.clock.now() })
      .execute();
    const [r2] = await trigger(w, 'during-maintenance');
    assert.equal(r2!.decision, 'suppressed');
    assert.deepEqual(await w.database.db.selectFrom('escalations').select('incident_id').execute(), []);
    assert.deepEqual(await w.database.db.selectFrom('jobs').select('key').execute(), []);
    assert.equal((await listNotifications(w.system, r1!.incidentId!)).escalation, null);
  });
});

eachDatabase('throttled methods bundle pages', (kind) => {
  let w: World;
  let channel: ReturnType<typeof recordingChannel>;
  let engine: Engine;
  const SECOND = 1000;
  const drain = async () => {
    await engine.drain();
    await engine.drain();
  };
  const incidentsPaged = () => channel.sent.map((s) => [s.page.incident.number, ...s.page.bundled.map((b) => b.incident.number)]);
  const open = async (key: string) => (await trigger(w, key))[0]!.incidentId!;
  const numberOf = async (id: string) => (await w.database.db.selectFrom('incidents').select('number').where('id', '=', id).executeTakeFirstOrThrow()).number;

  beforeEach(async () => {
    w = await setUp(await createTestDatabase(kind));
    channel = recordingChannel();
    // Webhooks throttled to one message a minute for the test (by default only SMS and voice are).
    engine = newEngine(w, channel, w.database, undefined, { webhook: 60 });
  });
  afterEach(async () => {
    await engine.stop();
    await w.database.close();
  });

  it('sends the first page at once, holds what comes within the interval, then sends it as one message; each page once', async () => {
    const first = await open('db-down');
    await drain();
    assert.deepEqual(incidentsPaged(), [[await numberOf(first)]], 'the first page is not delayed');
    w.clock.advance(10 * SECOND);
    const second = await open('api-down');
    const third = await open('queue-down');
    await drain();
    assert.equal(channel.sent.length, 1, 'nothing more within the minute');
    const held = await w.database.db.selectFrom('jobs').select(['key', 'run_at']).where('key', 'like', 'notify:%').execute();
    assert.deepEqual([...new Set(held.map((j) => j.run_at.toISOString()))], [new Date(new Date(T).getTime() + 60 * SECOND).toISOString()], 'held to the end of the interval');
    w.clock.advance(50 * SECOND);
    await drain();
    // Which of the two leads (and so comes first) is whichever job ran first.
    assert.deepEqual(incidentsPaged().map((numbers) => numbers.sort((x, y) => x - y)), [[await numberOf(first)], [await numberOf(second), await numberOf(third)].sort((x, y) => x - y)]);
    const bundle = channel.sent[1]!;
    assert.equal(bundle.headers!['Idempotency-Key'], bundle.page.idempotencyKey);
    assert.match(bundle.page.message, /^2 incidents need you:/);
    const rows = await w.database.db.selectFrom('notifications').select(['incident_id', 'status', 'bundled_into', 'sent_at']).where('incident_id', 'in', [second, third]).execute();
    assert.ok(rows.every((r) => r.status === 'sent' && r.sent_at?.getTime() === new Date(T).getTime() + 60 * SECOND));
    assert.deepEqual(rows.map((r) => r.bundled_into).filter(Boolean), [bundle.page.notificationId], 'one page carried by the other');
    w.clock.advance(10 * MINUTE);
    await drain();
    // Level 1 (Bob) fired for each incident at +5 minutes: Bob's own method, throttled on its own.
    const toAlice = channel.sent.filter((s) => s.address.endsWith('/alice'));
    assert.equal(toAlice.length, 2, 'Alice got two messages in all');
    const pagedIds = channel.sent.flatMap((s) => [s.page.notificationId, ...s.page.bundled.map((b) => b.notificationId)]);
    assert.equal(new Set(pagedIds).size, pagedIds.length, 'no page twice');
    assert.deepEqual(await findStalled(w.database.db), []);
  });

  it('a failed bundle is retried whole; when its leader is cancelled the pages it carried go out on their own', async () => {
    await open('db-down');
    await drain();
    w.clock.advance(10 * SECOND);
    const second = await open('api-down');
    const third = await open('queue-down');
    await drain();
    channel.state.failing = true;
    w.clock.advance(50 * SECOND);
    await drain();
    assert.equal(channel.tried.length, 2, 'one bundled attempt');
    const leader = channel.tried[1]!.page;
    assert.equal(leader.bundled.length, 1);
    const rows = await w.database.db.selectFrom('notifications').select(['id', 'status', 'bundled_into', 'last_error']).where('incident_id', 'in', [second, third]).execute();
    assert.ok(rows.every((r) => r.status === 'queued' && r.last_error === 'receiver down'), 'both back to queued');
    assert.deepEqual(await findStalled(w.database.db), [], 'the carried page is covered by its leader\'s job');
    // The leader's incident is acknowledged before the retry: the carried page is given back.
    const leaderIncident = leader.incident.id;
    await w.database.db.transaction().execute((tx) =>
      applySignals(tx, w.clock.now(), [{ target: { serviceId: w.serviceId }, signal: { ...emptySignal('generic', 'acknowledge'), dedupKey: leaderIncident === second ? 'api-down' : 'queue-down' } }]),
    );
    channel.state.failing = false;
    w.clock.advance(MINUTE);
    await drain();
    await drain();
    const last = channel.sent.at(-1)!.page;
    assert.equal(last.incident.id, leaderIncident === second ? third : second, 'the other incident, alone');
    assert.deepEqual(last.bundled, []);
    assert.equal(channel.sent.filter((s) => s.page.incident.id === leaderIncident).length, 0, 'nothing for the acknowledged one');
  });
});

describe('paging on two nodes [PostgreSQL]', { skip: postgresTestUrl() ? false : POSTGRES_SKIP_REASON }, () => {
  it('sends each page exactly once when two engines drain the same jobs', async () => {
    const primary = await createPostgresTestDatabase();
    const second = await openPostgresSchema(primary.url, primary.schema, 4);
    const w = await setUp(primary);
    const channel = recordingChannel();
    const engines = [newEngine(w, channel, primary, 'node-a'), newEngine(w, channel, second, 'node-b')];
    try {
      const incidents: string[] = [];
      for (let i = 0; i < 12; i++) incidents.push((await trigger(w, `key-${i}`))[0]!.incidentId!);
      assert.equal(new Set(incidents).size, 12);
      const drainBoth = () => Promise.all(engines.map((e) => e.drain()));
      await drainBoth();
      await drainBoth();
      w.clock.advance(5 * MINUTE);
      await drainBoth();
      await drainBoth();
      const perAddress = new Map<string, number>();
      for (const s of channel.sent) perAddress.set(`${s.page.incident.id} ${s.address}`, (perAddress.get(`${s.page.incident.id} ${s.address}`) ?? 0) + 1);
      assert.equal(channel.sent.length, 24, 'alice and bob once for each of 12 incidents');
      assert.ok([...perAddress.values()].every((n) => n === 1));
    } finally {
      for (const e of engines) await e.stop();
      await second.close();
      await primary.close();
    }
  });
});
