import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { createEngine, type Engine } from '../../engine/index.ts';
import { memoryLogger, pendingJobs } from '../../engine/testing/harness.ts';
import type { Database } from '../../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { createService } from '../services/index.ts';
import { FakeClock } from '../shared/clock.ts';
import { type Ctx, systemActor } from '../shared/context.ts';
import { isDomainError } from '../shared/errors.ts';
import {
  checkHeartbeat,
  createHeartbeat,
  deleteHeartbeat,
  type Heartbeat,
  heartbeatJobs,
  listHeartbeats,
  pingHeartbeat,
  updateHeartbeat,
} from './index.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

eachDatabase('heartbeat monitors', (kind) => {
  let database: Database;
  let clock: FakeClock;
  let engine: Engine;
  let logger: ReturnType<typeof memoryLogger>;
  let ctx: Ctx;
  let serviceId: string;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    clock = new FakeClock('2026-01-05T09:00:00Z');
    logger = memoryLogger();
    // No engine.start(): the tests drive it with clock.advance() and drain().
    engine = createEngine({ database, clock, handlers: [heartbeatJobs], logger, random: () => 0 });
    ctx = { db: database.db, clock, actor: systemActor('test') };
    serviceId = (await createService(ctx, { name: 'Backups' })).id;
  });
  afterEach(async () => {
    await engine.stop();
    await database.close();
    assert.deepEqual(logger.lines.filter((l) => l.level !== 'info'), [], 'no job failed or retried');
  });

  const create = (name = 'nightly', intervalSeconds = 300) => createHeartbeat(ctx, { serviceId, name, intervalSeconds });
  const ping = (h: Heartbeat) => pingHeartbeat(ctx, h.key!);
  const advance = async (ms: number) => {
    clock.advance(ms);
    await engine.drain();
  };
  const alerts = () => database.db.selectFrom('alerts').selectAll().orderBy('number').execute();
  const events = () => database.db.selectFrom('alert_events').selectAll().orderBy('id').execute();
  const statusOf = async (id: string) => (await database.db.selectFrom('heartbeats').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const checkJobs = async () => (await pendingJobs(database.db)).filter((j) => j.kind === 'heartbeats.check');

  it('creates a pending heartbeat with a 32-character key and schedules its first check one interval ahead', async () => {
    const h = await create('nightly', 300);
    assert.equal(h.status, 'pending');
    assert.match(h.key!, /^[a-z0-9]{32}$/);
    assert.equal(h.lastPingAt, null);
    assert.deepEqual(h.nextDueAt, new Date('2026-01-05T09:05:00Z'));
    const jobs = await checkJobs();
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.key, `heartbeat:${h.id}`);
    assert.deepEqual(jobs[0]!.run_at, new Date('2026-01-05T09:05:00Z'));
    assert.deepEqual(jobs[0]!.payload, { heartbeatId: h.id });
  });

  it('never alarms while pings arrive within the interval', async () => {
    const h = await create('nightly', 300);
    for (let i = 0; i < 12; i++) {
      await advance(4 * MINUTE + 59 * SECOND);
      await ping(h);
    }
    await advance(4 * MINUTE + 59 * SECOND);
    assert.deepEqual(await alerts(), []);
    assert.equal(await statusOf(h.id), 'up');
    const jobs = await checkJobs();
    assert.equal(jobs.length, 1, 'one check per heartbeat, moved forward by each ping');
    assert.deepEqual(jobs[0]!.run_at, new Date(clock.now().getTime() + SECOND));
  });

  it('reschedules instead of alarming when a check runs after a ping moved the due time', async () => {
    // The run that was claimed just before the ping committed: it re-reads and finds the ping.
    const h = await create('nightly', 300);
    clock.advance(4 * MINUTE);
    await ping(h);
    clock.advance(MINUTE);
    assert.equal(await checkHeartbeat(ctx, h.id), 'rescheduled');
    assert.deepEqual(await alerts(), []);
    assert.deepEqual((await checkJobs()).map((j) => j.run_at), [new Date('2026-01-05T09:09:00Z')]);
  });

  it('opens exactly one critical alert when an interval passes without a ping', async () => {
    const h = await create('nightly', 300);
    await advance(MINUTE);
    await ping(h);
    await advance(5 * MINUTE - SECOND);
    assert.deepEqual(await alerts(), [], 'not yet due');
    await advance(SECOND);

    const [alert, ...more] = await alerts();
    assert.ok(alert);
    assert.deepEqual(more, []);
    assert.equal(alert.status, 'triggered');
    assert.equal(alert.dedup_key, `heartbeat:${h.id}`);
    assert.equal(alert.service_id, serviceId);
    assert.equal(alert.sender, 'heartbeat');
    assert.equal(alert.severity, 'critical');
    assert.equal(alert.summary, 'Heartbeat "nightly" missed: no ping for 5 minutes');
    assert.deepEqual(alert.labels, { heartbeat: 'nightly' });
    assert.ok(alert.incident_id, 'the alert opened an incident');
    assert.deepEqual(
      (await events()).map((e) => [e.alert_id, e.action, e.decision]),
      [[alert.id, 'trigger', 'created']],
    );
    assert.equal(await statusOf(h.id), 'down');
    assert.deepEqual(await checkJobs(), [], 'nothing to check while down: the next ping reschedules');

    // Much later, and a repeated (at-least-once) run of the check: still one alert, one event.
    await advance(60 * MINUTE);
    assert.equal(await checkHeartbeat(ctx, h.id), 'already-down');
    assert.equal((await alerts()).length, 1);
    assert.equal((await events()).length, 1);
  });

  it('resolves the alert on the next ping, and alarms again on the next miss', async () => {
    const h = await create('nightly', 300);
    await advance(5 * MINUTE);
    const [first] = await alerts();
    assert.equal(first?.status, 'triggered');

    await advance(7 * MINUTE);
    const result = await ping(h);
    assert.equal(result.recovered, true);
    assert.deepEqual(result.nextDueAt, new Date(clock.now().getTime() + 5 * MINUTE));
    const [resolved] = await alerts();
    assert.equal(resolved?.status, 'resolved');
    assert.deepEqual(resolved?.resolved_at, clock.now());
    const last = (await events()).at(-1)!;
    assert.equal(last.decision, 'resolved');
    assert.equal(last.action, 'resolve');
    assert.equal(last.alert_id, first!.id);
    assert.equal(last.reason, 'resolved by heartbeat');
    assert.equal(await statusOf(h.id), 'up');
    assert.deepEqual((await checkJobs()).map((j) => j.run_at), [result.nextDueAt]);
    const incident = await database.db.selectFrom('incidents').select('status').where('id', '=', first!.incident_id!).executeTakeFirstOrThrow();
    assert.equal(incident.status, 'resolved');

    // A ping while up resolves nothing: no extra event.
    await advance(MINUTE);
    assert.equal((await ping(h)).recovered, false);
    assert.equal((await events()).length, 2);

    await advance(5 * MINUTE);
    const all = await alerts();
    assert.deepEqual(all.map((a) => a.status), ['resolved', 'triggered'], 'a new alert for the new miss');
  });

  it('alarms after one interval when a heartbeat is never pinged', async () => {
    const h = await create('weekly report', 86_400);
    await advance(86_400 * SECOND - SECOND);
    assert.deepEqual(await alerts(), []);
    assert.equal(await statusOf(h.id), 'pending');
    await advance(SECOND);
    const [alert] = await alerts();
    assert.equal(alert?.summary, 'Heartbeat "weekly report" missed: no ping for 1 day');
    assert.deepEqual(alert?.started_at, new Date('2026-01-06T09:00:00Z'), 'the alert starts when the ping was due');
    assert.equal(await statusOf(h.id), 'down');
  });

  it('cancels the check on delete, so a deleted heartbeat never alarms', async () => {
    const h = await create('nightly', 300);
    await deleteHeartbeat(ctx, h.id);
    assert.deepEqual(await checkJobs(), []);
    await advance(60 * MINUTE);
    assert.deepEqual(await alerts(), []);
    assert.deepEqual(await listHeartbeats(ctx), []);
    await assert.rejects(ping(h), (e) => isDomainError(e) && e.code === 'NOT_FOUND');
    const audit = await database.db.selectFrom('audit_log').select('action').where('entity_id', '=', h.id).orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['heartbeat.create', 'heartbeat.delete']);
  });

  it('resolves the open alert of a heartbeat deleted while down', async () => {
    const h = await create('nightly', 300);
    await advance(5 * MINUTE);
    assert.equal((await alerts())[0]?.status, 'triggered');
    await deleteHeartbeat(ctx, h.id);
    assert.equal((await alerts())[0]?.status, 'resolved');
    assert.equal((await events()).at(-1)?.decision, 'resolved');
  });

  it('does nothing when the check of a heartbeat deleted meanwhile runs (its service was deleted)', async () => {
    const h = await create('nightly', 300);
    await database.db.deleteFrom('services').where('id', '=', serviceId).execute(); // cascades; the job stays
    assert.equal((await checkJobs()).length, 1);
    await advance(5 * MINUTE);
    assert.deepEqual(await checkJobs(), []);
    assert.equal(await checkHeartbeat(ctx, h.id), 'gone');
    assert.deepEqual(await alerts(), []);
  });

  it('moves the check when the interval changes', async () => {
    const h = await create('nightly', 300);
    await advance(MINUTE);
    await ping(h);
    const updated = await updateHeartbeat(ctx, h.id, { intervalSeconds: 3_600, name: 'hourly' });
    assert.equal(updated.name, 'hourly');
    assert.deepEqual(updated.nextDueAt, new Date(clock.now().getTime() + 60 * MINUTE));
    assert.deepEqual((await checkJobs()).map((j) => j.run_at), [updated.nextDueAt]);
    await advance(59 * MINUTE);
    assert.deepEqual(await alerts(), []);
    await advance(MINUTE);
    assert.equal((await alerts())[0]?.summary, 'Heartbeat "hourly" missed: no ping for 1 hour');
  });

  it('refuses bad input, duplicate names per service and unknown services', async () => {
    const fieldsOf = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        if (isDomainError(e)) return [e.code, (e.details?.fields as { field: string }[] | undefined)?.map((f) => f.field)];
        throw e;
      }
      assert.fail('expected an error');
    };
    assert.deepEqual(await fieldsOf(create('x', 29)), ['VALIDATION', ['intervalSeconds']]);
    assert.deepEqual(await fieldsOf(create('  ', 60)), ['VALIDATION', ['name']]);
    assert.deepEqual(await fieldsOf(createHeartbeat(ctx, { serviceId: '00000000-0000-4000-8000-000000000000', name: 'x', intervalSeconds: 60 })), [
      'VALIDATION',
      ['serviceId'],
    ]);
    const h = await create('nightly', 300);
    assert.deepEqual(await fieldsOf(create('NIGHTLY', 60)), ['CONFLICT', ['name']]);
    assert.deepEqual(await fieldsOf(updateHeartbeat(ctx, h.id, { intervalSeconds: 604_801 })), ['VALIDATION', ['intervalSeconds']]);
    await assert.rejects(pingHeartbeat(ctx, 'a'.repeat(32)), (e) => isDomainError(e) && e.code === 'NOT_FOUND');
    await assert.rejects(pingHeartbeat(ctx, 'not a key'), (e) => isDomainError(e) && e.code === 'NOT_FOUND');
    assert.deepEqual(await checkJobs().then((j) => j.length), 1, 'failed creates scheduled nothing');
  });
});
