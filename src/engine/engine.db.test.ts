import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { FakeClock } from '../core/shared/clock.ts';
import type { Database } from '../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../storage/testing/test-database.ts';
import { type ClaimedJob, claimDueJobs, claimJobs, completeJob } from './claim-jobs.ts';
import { type CronPayload } from './cron.ts';
import { createEngine, type Engine, type EngineOptions } from './engine.ts';
import { buildRegistry, defineFamily, type Job } from './registry.ts';
import { cancelJob, scheduleJob, type ScheduleJobInput } from './schedule-job.ts';
import { memoryLogger, pendingJobs, runRecorder, settle, within } from './testing/harness.ts';

const MINUTE = 60_000;

eachDatabase('engine', (kind) => {
  let database: Database;
  let clock: FakeClock;
  let engines: Engine[];
  beforeEach(async () => {
    database = await createTestDatabase(kind);
    clock = new FakeClock('2026-01-05T09:00:00Z');
    engines = [];
  });
  afterEach(async () => {
    await Promise.all(engines.map((e) => e.stop()));
    await database.close();
  });

  const inMinutes = (m: number) => new Date(clock.now().getTime() + m * MINUTE);
  const schedule = (input: ScheduleJobInput, db = database.db) =>
    db.transaction().execute((tx) => scheduleJob(tx, { now: clock.now(), ...input }));
  function engine(options: Partial<EngineOptions> & Pick<EngineOptions, 'handlers'>): Engine {
    const e = createEngine({ database, clock, nodeId: `node-${engines.length + 1}`, random: () => 0, logger: memoryLogger(), ...options });
    engines.push(e);
    return e;
  }
  /** A family `t` whose kind `t.run` records each run and then does `then` (throw to fail). */
  function recordingEngine(then: (job: Job) => Promise<void> | void = () => {}, options: Partial<EngineOptions> = {}) {
    const recorder = runRecorder();
    const e = engine({
      handlers: [defineFamily('t', 1, { 't.run': async (job) => (recorder.record(job), then(job)) })],
      ...options,
    });
    return { engine: e, ...recorder };
  }

  it('runs a job scheduled for +30 min at +30 min and not at +29 min, without sleeping', async () => {
    const { engine: e, runs } = recordingEngine();
    await schedule({ kind: 't.run', runAt: inMinutes(30), payload: { n: 1 } });
    assert.equal(await e.drain(), 0);
    clock.advance(29 * MINUTE);
    assert.equal(await e.drain(), 0);
    assert.equal(runs.length, 0);
    clock.advance(MINUTE);
    assert.equal(await e.drain(), 1);
    assert.deepEqual(runs.map((j) => j.payload), [{ n: 1 }]);
    assert.deepEqual(await pendingJobs(database.db), [], 'a successful job is deleted');
  });

  it('wakes a started engine when the fake clock reaches run_at', async () => {
    const { engine: e, runs, next } = recordingEngine();
    await schedule({ kind: 't.run', runAt: inMinutes(30) });
    await e.start();
    clock.advance(29 * MINUTE);
    await settle();
    assert.equal(runs.length, 0);
    const ran = next();
    clock.advance(MINUTE);
    await within(5_000, ran, 'the job to run after the clock advanced');
    assert.equal(runs.length, 1);
  });

  it('wakes a started, idle engine through NOTIFY when a due job is committed', async () => {
    // The fake clock never moves here, so neither its advance nor the poll fallback can wake the engine.
    const { engine: e, next } = recordingEngine();
    await e.start();
    await settle();
    const ran = next();
    await schedule({ kind: 't.run', runAt: clock.now() });
    const job = await within(5_000, ran, 'the NOTIFY wake-up');
    assert.equal(job.kind, 't.run');
  });

  it('leaves no job when the scheduling transaction rolls back', async () => {
    await assert.rejects(
      database.db.transaction().execute(async (tx) => {
        await scheduleJob(tx, { kind: 't.run', key: 'k', runAt: clock.now() });
        throw new Error('domain write failed');
      }),
      /domain write failed/,
    );
    assert.deepEqual(await pendingJobs(database.db), []);
  });

  it('replace moves the pending job with the same key to the new time and payload', async () => {
    const { engine: e, runs } = recordingEngine();
    const first = await schedule({ kind: 't.run', key: 'escalation:1', keyMode: 'replace', runAt: inMinutes(10), payload: { step: 1 } });
    const second = await schedule({ kind: 't.run', key: 'escalation:1', keyMode: 'replace', runAt: inMinutes(5), payload: { step: 2 } });
    assert.equal(first.outcome, 'created');
    assert.deepEqual(second, { id: first.id, outcome: 'updated' });
    const rows = await pendingJobs(database.db);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.run_at.getTime(), inMinutes(5).getTime());
    clock.advance(5 * MINUTE);
    assert.equal(await e.drain(), 1);
    clock.advance(10 * MINUTE);
    assert.equal(await e.drain(), 0, 'the old deadline no longer fires');
    assert.deepEqual(runs.map((j) => j.payload), [{ step: 2 }]);
  });

  it('preserve_run_at updates the payload but keeps the first deadline', async () => {
    const { engine: e, runs } = recordingEngine();
    await schedule({ kind: 't.run', key: 'digest:1', keyMode: 'preserve_run_at', runAt: inMinutes(5), payload: { n: 1 } });
    const again = await schedule({ kind: 't.run', key: 'digest:1', keyMode: 'preserve_run_at', runAt: inMinutes(20), payload: { n: 2 } });
    assert.equal(again.outcome, 'updated');
    clock.advance(5 * MINUTE);
    assert.equal(await e.drain(), 1);
    assert.deepEqual(runs.map((j) => j.payload), [{ n: 2 }]);
    clock.advance(60 * MINUTE);
    assert.equal(await e.drain(), 0);
  });

  it('dedupe keeps the existing job untouched', async () => {
    const { engine: e, runs } = recordingEngine();
    const first = await schedule({ kind: 't.run', key: 'once:1', keyMode: 'dedupe', runAt: inMinutes(5), payload: { n: 1 } });
    const again = await schedule({ kind: 't.run', key: 'once:1', keyMode: 'dedupe', runAt: inMinutes(1), payload: { n: 2 } });
    assert.deepEqual(again, { id: first.id, outcome: 'kept' });
    clock.advance(MINUTE);
    assert.equal(await e.drain(), 0, 'the earlier time of the duplicate was ignored');
    clock.advance(4 * MINUTE);
    assert.equal(await e.drain(), 1);
    assert.deepEqual(runs.map((j) => j.payload), [{ n: 1 }]);
  });

  it('cancelJob deletes the pending job so it never runs', async () => {
    const { engine: e, runs } = recordingEngine();
    await schedule({ kind: 't.run', key: 'escalation:7', keyMode: 'replace', runAt: inMinutes(5) });
    assert.equal(await database.db.transaction().execute((tx) => cancelJob(tx, 'escalation:7')), true);
    assert.equal(await database.db.transaction().execute((tx) => cancelJob(tx, 'escalation:7')), false);
    clock.advance(10 * MINUTE);
    assert.equal(await e.drain(), 0);
    assert.equal(runs.length, 0);
  });

  it('a job cancelled while it runs finishes that run and does not run again', async () => {
    const logger = memoryLogger();
    const { engine: e, runs } = recordingEngine(async (job) => {
      await database.db.transaction().execute((tx) => cancelJob(tx, job.key!)); // acknowledged meanwhile
    }, { logger });
    await schedule({ kind: 't.run', key: 'escalation:8', runAt: clock.now() });
    assert.equal(await e.drain(), 1);
    clock.advance(24 * 60 * MINUTE);
    assert.equal(await e.drain(), 0);
    assert.equal(runs.length, 1);
    assert.deepEqual(await pendingJobs(database.db), []);
    assert.ok(logger.lines.some((l) => /cancelled while it ran/.test(l.msg)));
  });

  it('a job rescheduled while it runs is not deleted by that run and runs again at its new time', async () => {
    const { engine: e, runs } = recordingEngine(async (job) => {
      if (runs.length === 1) {
        await schedule({ kind: 't.run', key: job.key!, keyMode: 'replace', runAt: inMinutes(10), payload: { step: 2 } });
      }
    });
    await schedule({ kind: 't.run', key: 'escalation:9', keyMode: 'replace', runAt: clock.now(), payload: { step: 1 } });
    assert.equal(await e.drain(), 1);
    const [row] = await pendingJobs(database.db);
    assert.ok(row, 'the rescheduled job survives its first run');
    assert.equal(row.attempts, 0);
    assert.equal(row.locked_by, null);
    clock.advance(10 * MINUTE);
    assert.equal(await e.drain(), 1);
    assert.deepEqual(runs.map((j) => j.payload), [{ step: 1 }, { step: 2 }]);
  });

  it('retries with exponential backoff, then keeps the job as failed with the last error', async () => {
    const { engine: e, runs } = recordingEngine(
      (job) => {
        throw new Error(`downstream said no (${job.attempt})`);
      },
      { backoff: { baseMs: MINUTE, maxMs: 60 * MINUTE, jitter: 0.5 } },
    );
    await schedule({ kind: 't.run', key: 'notify:1', runAt: clock.now(), maxAttempts: 3 });
    assert.equal(await e.drain(), 1);
    clock.advance(MINUTE - 1);
    assert.equal(await e.drain(), 0, 'first retry waits one base delay');
    clock.advance(1);
    assert.equal(await e.drain(), 1);
    clock.advance(2 * MINUTE - 1);
    assert.equal(await e.drain(), 0, 'second retry waits twice as long');
    clock.advance(1);
    assert.equal(await e.drain(), 1);
    clock.advance(24 * 60 * MINUTE);
    assert.equal(await e.drain(), 0, 'no attempts left');
    assert.deepEqual(runs.map((j) => j.attempt), [1, 2, 3]);
    const [row] = await pendingJobs(database.db);
    assert.ok(row?.failed_at, 'the failed job is kept');
    assert.equal(row.attempts, 3);
    assert.match(row.last_error ?? '', /downstream said no \(3\)/);
    assert.equal(row.locked_by, null);
    // A failed job no longer holds its key: the same key can be scheduled again.
    assert.equal((await schedule({ kind: 't.run', key: 'notify:1', keyMode: 'dedupe', runAt: clock.now() })).outcome, 'created');
  });

  it('reclaims a job whose lease expired and ignores the late finish of the first worker', async () => {
    const leaseMs = 5 * MINUTE;
    let crashed: ClaimedJob | undefined;
    let lateFinish: string | undefined;
    const { engine: survivor, runs } = recordingEngine(
      async () => {
        // The first worker wakes up and reports success while the survivor holds the job.
        lateFinish = await completeJob(database.db, crashed!.lease);
        assert.equal((await pendingJobs(database.db)).length, 1, 'the late finish deleted nothing');
      },
      { leaseMs, nodeId: 'survivor' },
    );
    await schedule({ kind: 't.run', key: 'k:1', runAt: clock.now() });
    // A worker claims the job and stalls (or dies) without finishing it.
    const handlers = [...buildRegistry([defineFamily('t', 1, { 't.run': async () => {} })]).values()];
    [crashed] = await claimJobs(database.db, { now: clock.now(), nodeId: 'stalled', limit: 10, leaseMs, handlers });
    assert.ok(crashed);
    assert.equal(await survivor.drain(), 0, 'the lease is respected');
    clock.advance(leaseMs - 1);
    assert.equal(await survivor.drain(), 0);
    clock.advance(1);
    assert.equal(await survivor.drain(), 1, 'the expired lease is taken over');
    assert.equal(lateFinish, 'lost');
    assert.equal(runs[0]?.attempt, 2, 'the stalled run used an attempt');
    assert.deepEqual(await pendingJobs(database.db), []);
    assert.equal(await survivor.drain(), 0, 'and it runs only once');
  });

  it('claims a batch in one round trip and says in it when the next job becomes claimable', async () => {
    const leaseMs = 30 * MINUTE;
    for (const n of [1, 2, 3]) await schedule({ kind: 't.run', runAt: clock.now(), payload: { n } });
    await schedule({ kind: 't.run', runAt: inMinutes(5), payload: { n: 4 } });
    const handlers = [...buildRegistry([defineFamily('t', 1, { 't.run': async () => {} })]).values()];
    const claim = (limit: number) => claimDueJobs(database.db, { now: clock.now(), nodeId: 'batch', limit, leaseMs, handlers });
    const first = await claim(2);
    assert.deepEqual(first.jobs.map((j) => j.payload), [{ n: 1 }, { n: 2 }]);
    assert.equal(first.next?.getTime(), clock.now().getTime(), 'a third job is due now: look again at once');
    const second = await claim(5);
    assert.deepEqual(second.jobs.map((j) => j.payload), [{ n: 3 }]);
    assert.equal(second.next?.getTime(), inMinutes(5).getTime(), 'the claimed rows do not count as due: the next is the +5 min job');
    const third = await claim(5);
    assert.deepEqual(third.jobs, []);
    assert.equal(third.next?.getTime(), inMinutes(5).getTime());
    clock.advance(5 * MINUTE);
    const fourth = await claim(5);
    assert.deepEqual(fourth.jobs.map((j) => j.payload), [{ n: 4 }]);
    assert.equal(fourth.next?.getTime(), inMinutes(25).getTime(), 'with every job leased, the next is the first lease to expire');
  });

  it('finishes the rest of a batch when one job of it loses its lease mid-run, and lets the new owner keep that job', { skip: kind === 'pglite' && 'PGlite is one session: the engine runs one job at a time there, so there is no batch' }, async () => {
    const leaseMs = MINUTE;
    const logger = memoryLogger();
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const slowStarted = runRecorder();
    let firstSignal: AbortSignal | undefined;
    const runs: Array<{ node: string; name: string; attempt: number }> = [];
    const family = (node: string) =>
      defineFamily('t', 1, {
        't.run': async (job: Job<{ name: string }>, { signal }) => {
          runs.push({ node, name: job.payload.name, attempt: job.attempt });
          if (node === 'node-1' && job.payload.name === 'slow') {
            firstSignal = signal;
            slowStarted.record(job);
            await released; // stuck past its lease
          }
        },
      });
    const first = engine({ handlers: [family('node-1')], concurrency: 3, leaseMs, logger });
    for (const name of ['a', 'slow', 'c']) await schedule({ kind: 't.run', runAt: clock.now(), payload: { name } });
    const batch = first.runDue(); // one claim takes all three
    await within(5_000, slowStarted.next(), 'the slow job to start');
    await within(5_000, (async () => { while ((await pendingJobs(database.db)).length > 1) await settle(10); })(), 'a and c to finish');
    assert.deepEqual((await pendingJobs(database.db)).map((j) => j.payload), [{ name: 'slow' }], 'the rest of the batch finished');

    clock.advance(leaseMs);
    await within(5_000, (async () => { while (!firstSignal?.aborted) await settle(5); })(), 'the lease to abort the first run');
    const second = engine({ handlers: [family('node-2')], leaseMs, logger: memoryLogger() });
    assert.equal(await second.drain(), 1, 'another node takes the expired job over');
    assert.deepEqual(await pendingJobs(database.db), [], 'and finishes it');
    release();
    await within(5_000, batch, 'the first batch to end');
    assert.deepEqual(await pendingJobs(database.db), []);
    assert.deepEqual(
      runs.map((r) => `${r.node} ${r.name} #${r.attempt}`).sort(),
      ['node-1 a #1', 'node-1 c #1', 'node-1 slow #1', 'node-2 slow #2'],
    );
    assert.ok(logger.lines.some((l) => l.level === 'warn' && /ran past its lease/.test(l.msg)), 'the late finish is reported as lost');
  });

  it('fails a job whose lease expired on every attempt without running it again', async () => {
    const { engine: e, runs } = recordingEngine(() => {}, { leaseMs: MINUTE });
    await schedule({ kind: 't.run', runAt: clock.now(), maxAttempts: 2 });
    const handlers = [...buildRegistry([defineFamily('t', 1, { 't.run': async () => {} })]).values()];
    for (let i = 0; i < 2; i++) {
      assert.equal((await claimJobs(database.db, { now: clock.now(), nodeId: 'crashy', limit: 1, leaseMs: MINUTE, handlers })).length, 1);
      clock.advance(MINUTE);
    }
    assert.equal(await e.drain(), 1, 'claimed once more to be failed');
    assert.equal(runs.length, 0, 'but not run');
    const [row] = await pendingJobs(database.db);
    assert.ok(row?.failed_at);
    assert.match(row.last_error ?? '', /lease expired/);
  });

  it('runs lower priority numbers first among due jobs', async () => {
    const { engine: e, runs } = recordingEngine();
    await schedule({ kind: 't.run', runAt: inMinutes(-2), payload: { name: 'old, low' }, priority: 5 });
    await schedule({ kind: 't.run', runAt: inMinutes(-1), payload: { name: 'urgent' }, priority: -1 });
    await schedule({ kind: 't.run', runAt: inMinutes(-3), payload: { name: 'oldest, normal' } });
    await e.drain();
    assert.deepEqual(runs.map((j) => (j.payload as { name: string }).name), ['urgent', 'oldest, normal', 'old, low']);
  });

  it('does not run a family on a node older than the version the database records, and says so', async () => {
    const oldRuns = runRecorder();
    const newRuns = runRecorder();
    const oldLogger = memoryLogger();
    const oldNode = engine({ handlers: [defineFamily('esc', 1, { 'esc.due': async (j) => oldRuns.record(j) })], logger: oldLogger });
    const newNode = engine({ handlers: [defineFamily('esc', 2, { 'esc.due': async (j) => newRuns.record(j) })] });
    assert.equal(await oldNode.drain(), 0); // registers version 1
    assert.equal(await newNode.drain(), 0); // a rolling deploy: version 2 arrives
    await schedule({ kind: 'esc.due', runAt: clock.now() });
    // The old node's in-memory view is still version 1: the guard inside the claim must hold anyway.
    assert.equal(await oldNode.drain(), 0);
    clock.advance(10 * MINUTE); // past moduleCheckMs: the old node re-reads versions and logs
    assert.equal(await oldNode.drain(), 0);
    assert.equal(oldRuns.runs.length, 0);
    assert.ok(oldLogger.lines.some((l) => l.level === 'error' && /PAUSED/.test(l.msg)), 'logged loudly');
    assert.equal(await newNode.drain(), 1);
    assert.equal(newRuns.runs.length, 1);
    const recorded = await database.db.selectFrom('engine_modules').selectAll().where('name', '=', 'esc').executeTakeFirstOrThrow();
    assert.equal(recorded.version, 2, 'an old node never lowers the recorded version');
  });

  it('fires each cron slot exactly once across two nodes', async () => {
    const slots: number[] = [];
    const family = () => defineFamily('housekeeping', 1, { 'housekeeping.tick': async (j: Job<CronPayload>) => void slots.push(j.payload.slot) });
    const cron = [{ name: 'tick', everyMs: 60 * MINUTE, kind: 'housekeeping.tick' }];
    const a = engine({ handlers: [family()], cron });
    const b = engine({ handlers: [family()], cron });
    await Promise.all([a.drain(), b.drain()]); // both start the chain at once
    assert.equal((await pendingJobs(database.db)).length, 1, 'one chain');
    for (let hour = 0; hour < 3; hour++) {
      clock.advance(60 * MINUTE);
      await Promise.all([a.drain(), b.drain()]);
      await Promise.all([b.drain(), a.drain()]);
    }
    assert.equal(slots.length, 3);
    assert.equal(new Set(slots).size, 3);
    const [next] = await pendingJobs(database.db);
    assert.equal(next?.key, `cron:tick:${slots[2]! + 1}`);
    // A restarted node finds the chain and does not start a second one.
    const c = engine({ handlers: [family()], cron });
    await c.drain();
    assert.equal((await pendingJobs(database.db)).length, 1);
  });

  it('a node whose clock lags across a slot boundary joins the existing cron chain', async () => {
    const family = defineFamily('housekeeping', 1, { 'housekeeping.tick': async () => {} });
    const cron = [{ name: 'tick', everyMs: 60 * MINUTE, kind: 'housekeeping.tick' }];
    await engine({ handlers: [family], cron }).drain(); // at 09:00 exactly: chain starts at 10:00
    const lagging = new FakeClock(new Date(clock.now().getTime() - 1)); // 08:59:59.999 would pick 09:00
    await engine({ handlers: [family], cron, clock: lagging }).drain();
    assert.deepEqual((await pendingJobs(database.db)).map((j) => j.run_at.toISOString()), ['2026-01-05T10:00:00.000Z']);
  });

  it('stop() waits for the running handler to finish', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let finished = false;
    const { engine: e, next } = recordingEngine(async () => {
      await gate;
      finished = true;
    });
    await e.start();
    const started = next();
    await schedule({ kind: 't.run', runAt: clock.now() });
    await within(5_000, started, 'the handler to start');
    let stopped = false;
    const stopping = e.stop().then(() => (stopped = true));
    await settle();
    assert.equal(stopped, false, 'still waiting for the handler');
    release();
    await within(5_000, stopping, 'stop()');
    assert.equal(finished, true);
    assert.deepEqual(await pendingJobs(database.db), [], 'and its success was recorded');
  });
});
