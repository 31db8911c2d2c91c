import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { type Clock, systemClock } from '../core/shared/clock.ts';
import type { Database } from '../storage/open-database.ts';
import type { DB } from '../storage/schema.ts';
import { type BackoffOptions, DEFAULT_BACKOFF, retryDelayMs } from './backoff.ts';
import {
  type ClaimedJob,
  claimDueJobs,
  completeJob,
  failJob,
  readModuleVersions,
  registerModuleVersions,
} from './claim-jobs.ts';
import { type CronEntry, continueCronChain, ensureCronChain, parseCronKey, validateCronEntry } from './cron.ts';
import { buildRegistry, type EngineLogger, type HandlerFamily, type Job, type RegisteredHandler } from './registry.ts';
import { JOBS_CHANNEL } from './schedule-job.ts';

export interface EngineOptions {
  database: Database;
  /** The one injected clock: due-ness, leases and retries are all measured on it. */
  clock: Clock;
  handlers: readonly HandlerFamily[];
  cron?: readonly CronEntry[];
  /** Recorded in locked_by; default `<host>:<pid>:<random>`. */
  nodeId?: string;
  /**
   * Jobs run at once. Embedded (PGlite) is one session, so it is always 1 there; default
   * `DEFAULT_CONCURRENCY` on PostgreSQL. Each running handler may hold one pooled connection.
   */
  concurrency?: number;
  /** How long a run owns its job; after that another worker may take it over. Default 5 min. */
  leaseMs?: number;
  /** Longest idle sleep without a wake-up signal (a safety net, not the main path). Default 30 s. */
  pollMs?: number;
  /** How often family versions are re-read for logging (the claim itself always checks). Default 60 s. */
  moduleCheckMs?: number;
  backoff?: BackoffOptions;
  /** Source of jitter; tests pass a constant. */
  random?: () => number;
  logger?: EngineLogger;
}

export interface Engine {
  readonly nodeId: string;
  /** Registers family versions, starts cron chains, then runs jobs as they come due until stop(). */
  start(): Promise<void>;
  /** Stops claiming and waits for running handlers to finish. */
  stop(): Promise<void>;
  /** Claims and runs one batch of jobs due at the clock's current time; returns how many ran. */
  runDue(): Promise<number>;
  /** Runs due jobs until none is due at the clock's current time (tests: advance, then drain). */
  drain(): Promise<number>;
  /** Makes an idle loop re-check for due jobs now. */
  wake(): void;
}

/** Handlers mostly wait on the database or a receiver, so a node runs many at once. */
export const DEFAULT_CONCURRENCY = 16;

// When a job is due but SKIP LOCKED passed over it (another claim is committing), look again soon.
// Real time on purpose: with a fake clock, a fake-time pause would wait for the next advance.
const CONTENDED_RETRY_MS = 5;
const ERROR_PAUSE_MS = 1_000;

const defaultLogger: EngineLogger = {
  info: () => {},
  warn: (obj, msg) => console.warn(`[engine] ${msg}`, obj),
  error: (obj, msg) => console.error(`[engine] ${msg}`, obj),
};

const describeError = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));

/** The worker: claims due jobs with SKIP LOCKED and leases, runs their handlers, records outcomes. */
export function createEngine(options: EngineOptions): Engine {
  const { clock, database } = options;
  const db: Kysely<DB> = database.db;
  const logger = options.logger ?? defaultLogger;
  const nodeId = options.nodeId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const pollMs = options.pollMs ?? 30_000;
  const moduleCheckMs = options.moduleCheckMs ?? 60_000;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const random = options.random ?? Math.random;
  let concurrency = Math.max(1, options.concurrency ?? (database.mode === 'embedded' ? 1 : DEFAULT_CONCURRENCY));
  if (database.mode === 'embedded' && concurrency > 1) {
    logger.warn({ requested: concurrency }, 'The embedded database is one session: running the engine with concurrency 1');
    concurrency = 1;
  }

  // The engine's own bookkeeping commits without waiting for the WAL flush (see claim-jobs.ts).
  const asyncCommit = database.mode === 'postgres';
  const registry = buildRegistry(options.handlers);
  const families = options.handlers.map((f) => ({ name: f.name, version: f.version }));
  const cron = new Map<string, CronEntry>();
  for (const entry of options.cron ?? []) {
    validateCronEntry(entry);
    if (!registry.has(entry.kind)) throw new Error(`Cron "${entry.name}": no handler for kind "${entry.kind}"`);
    if (cron.has(entry.name)) throw new Error(`Cron "${entry.name}" is defined twice`);
    cron.set(entry.name, entry);
  }

  // Families a newer node has taken over (family → version recorded in the database).
  const paused = new Map<string, number>();
  let runnable: RegisteredHandler[] = [...registry.values()];
  let lastModuleCheck = Number.NEGATIVE_INFINITY;

  function applyVersions(recorded: Map<string, number>): void {
    for (const f of families) {
      const version = recorded.get(f.name) ?? f.version;
      if (version > f.version) {
        if (!paused.has(f.name)) {
          logger.error(
            { family: f.name, nodeVersion: f.version, databaseVersion: version, nodeId },
            `Job family "${f.name}" is PAUSED on this node: the database records version ${version} but this node ` +
              `runs version ${f.version}. A newer Vigil is deployed; upgrade or stop this node.`,
          );
        }
        paused.set(f.name, version);
      } else if (paused.delete(f.name)) {
        logger.info({ family: f.name, version }, `Job family "${f.name}" resumed on this node`);
      }
    }
    runnable = [...registry.values()].filter((h) => !paused.has(h.family));
  }

  async function init(): Promise<void> {
    const now = clock.now();
    applyVersions(await registerModuleVersions(db, families, now));
    lastModuleCheck = now.getTime();
    for (const entry of cron.values()) {
      if (!paused.has(registry.get(entry.kind)!.family)) await ensureCronChain(db, entry, now);
    }
  }
  let initialized: Promise<void> | undefined;
  const ready = () =>
    (initialized ??= init().catch((e) => {
      initialized = undefined;
      throw e;
    }));

  async function claim(limit: number): Promise<{ jobs: ClaimedJob[]; next: Date | null }> {
    await ready();
    const now = clock.now();
    if (now.getTime() - lastModuleCheck >= moduleCheckMs) {
      lastModuleCheck = now.getTime();
      applyVersions(await readModuleVersions(db, families.map((f) => f.name)));
    }
    return claimDueJobs(db, { now, nodeId, limit, leaseMs, handlers: runnable, asyncCommit });
  }

  /** Records the outcome; a cron job's next slot is enqueued in the same transaction. */
  async function finish(job: ClaimedJob, failure?: { error: string; final: boolean }, overran = false): Promise<void> {
    const now = clock.now();
    const record = (tx: Kysely<DB>) =>
      failure
        ? failJob(tx, job.lease, {
            error: failure.error,
            now,
            final: failure.final,
            retryAt: new Date(now.getTime() + retryDelayMs(job.attempt, random(), backoff)),
          }, { asyncCommit })
        : completeJob(tx, job.lease, { asyncCommit });
    const slot = parseCronKey(job.key);
    const entry = slot && cron.get(slot.name);
    const outcome =
      slot && entry?.kind === job.kind
        ? await db.transaction().execute(async (tx) => {
            const out = await record(tx);
            if (out === 'deleted' || out === 'failed') await continueCronChain(tx, entry, slot.slot, now);
            return out;
          })
        : await record(db);
    const about = { jobId: job.id, kind: job.kind, key: job.key, attempt: job.attempt, maxAttempts: job.maxAttempts };
    if (outcome === 'failed') logger.error({ ...about, error: failure?.error }, `Job ${job.kind} failed permanently`);
    else if (outcome === 'retry') logger.warn({ ...about, error: failure?.error }, `Job ${job.kind} failed; will retry`);
    else if (outcome === 'lost' && overran) logger.warn(about, `Job ${job.kind} ran past its lease; another run may have taken it over`);
    else if (outcome === 'lost') logger.info(about, `Job ${job.kind} was cancelled while it ran`);
  }

  async function execute(job: ClaimedJob): Promise<void> {
    const handler = registry.get(job.kind)!; // the claim only returns kinds in the registry
    if (job.attempt > job.maxAttempts) {
      // Every attempt ended with an expired lease (crash, hang): running it again could crash again.
      return finish(job, { error: `lease expired on all ${job.maxAttempts} attempts (worker crashed or ran over leaseMs)`, final: true });
    }
    const done = new AbortController();
    const lease = new AbortController();
    void clock.sleep(leaseMs, done.signal).then(() => {
      if (!done.signal.aborted) lease.abort(new Error(`lease of job ${job.id} expired`));
    });
    const { lease: _, ...visible } = job;
    let failure: { error: string; final: boolean } | undefined;
    try {
      await handler.run(visible satisfies Job, { clock, db, signal: lease.signal, logger });
    } catch (e) {
      failure = { error: describeError(e), final: job.attempt >= job.maxAttempts };
    } finally {
      done.abort();
    }
    // A failure to record (database down) leaves the lease to expire: the job runs again later.
    await finish(job, failure, lease.signal.aborted).catch((e) =>
      logger.error({ jobId: job.id, kind: job.kind, err: describeError(e) }, 'Could not record a job outcome; it will run again after its lease expires'),
    );
  }

  const running = new Set<Promise<void>>();
  function track(job: ClaimedJob): Promise<void> {
    const p = execute(job)
      .catch((e) => logger.error({ jobId: job.id, err: describeError(e) }, 'Job execution failed unexpectedly'))
      .finally(() => {
        running.delete(p);
        wake(); // a free slot, and the handler may have scheduled more work
      });
    running.add(p);
    return p;
  }

  async function runDue(): Promise<number> {
    const { jobs } = await claim(concurrency);
    await Promise.all(jobs.map(track));
    return jobs.length;
  }

  // The loop sleeps until woken: by a NOTIFY (scheduleJob, any node), a fake clock advance, a
  // finished job, or the next known due time capped by pollMs. There is no busy polling.
  let stopping = false;
  let wakePending = false;
  let waiting: AbortController | undefined;
  function wake(): void {
    wakePending = true;
    waiting?.abort();
  }
  async function pause(ms: number, on: Clock): Promise<void> {
    if (wakePending || stopping) return;
    waiting = new AbortController();
    await on.sleep(ms, waiting.signal);
    waiting = undefined;
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      wakePending = false; // set before claiming so a wake-up during the claim is not lost
      try {
        if (running.size >= concurrency) {
          await pause(pollMs, clock); // a finishing job wakes us
          continue;
        }
        // One round trip claims every free slot's job and says when the next one comes due.
        const { jobs, next } = await claim(concurrency - running.size);
        for (const job of jobs) void track(job);
        if (running.size >= concurrency) continue;
        const wait = next ? next.getTime() - clock.now().getTime() : pollMs;
        if (wait <= 0) await pause(CONTENDED_RETRY_MS, systemClock);
        else await pause(Math.min(wait, pollMs), clock);
      } catch (e) {
        if (stopping) break;
        logger.error({ err: describeError(e), nodeId }, 'Engine loop error; retrying');
        await pause(ERROR_PAUSE_MS, systemClock);
      }
    }
  }

  let loopDone: Promise<void> | undefined;
  let cleanups: Array<() => unknown> = [];

  return {
    nodeId,
    async start() {
      if (loopDone) return;
      stopping = false;
      await ready();
      const unlisten = await database.listen(JOBS_CHANNEL, wake);
      cleanups = [unlisten, clock.onAdvance(wake)];
      loopDone = loop();
    },
    async stop() {
      stopping = true;
      wake();
      await loopDone;
      loopDone = undefined;
      await Promise.allSettled([...running]);
      for (const cleanup of cleanups.splice(0)) await cleanup();
    },
    runDue,
    async drain() {
      let total = 0;
      for (let n = await runDue(); n > 0; n = await runDue()) total += n;
      return total;
    },
    wake,
  };
}
