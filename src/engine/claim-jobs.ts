import { type Kysely, sql } from 'kysely';
import type { DB } from '../storage/schema.ts';
import type { Job, RegisteredHandler } from './registry.ts';

/** Identifies one run of a job: the claim increments attempts, so (node, attempt) is unique per run. */
export interface Lease {
  id: number;
  nodeId: string;
  attempt: number;
  /** The row's revision when claimed; a reschedule during the run changes it. */
  revision: number;
}

export interface ClaimedJob extends Job {
  lease: Lease;
}

interface JobRow {
  id: number;
  kind: string;
  key: string | null;
  payload: unknown;
  run_at: Date;
  priority: number;
  attempts: number;
  max_attempts: number;
  revision: number;
  created_at: Date;
}

/**
 * Makes the statement's own (implicit) transaction commit without waiting for the WAL flush.
 * Only for the engine's bookkeeping, run outside any transaction: a claim or an outcome that a
 * server crash loses only makes the job run again, which at-least-once already allows; and it
 * becomes durable anyway with the handler's next synchronous commit (the WAL is written in order).
 * Saves an fsync (milliseconds) per claim and per outcome, two of them on every page's path.
 * PostgreSQL only: PGlite has no WAL writer, so a killed process would lose the claim itself
 * (and never fsyncs anyway).
 */
const asyncCommit = (on: boolean | undefined) => (on ? sql`(select set_config('synchronous_commit', 'off', true))` : sql`null`);

/**
 * The kinds this node may run: it has a handler, and no node has registered a newer version of
 * the handler's family. Evaluated inside each claim, so the version guard holds atomically.
 */
function runnableKinds(handlers: readonly RegisteredHandler[]) {
  const mine = JSON.stringify(handlers.map((h) => ({ kind: h.kind, family: h.family, version: h.version })));
  return sql`select m.kind from jsonb_to_recordset(${mine}::jsonb) as m(kind text, family text, version int)
    left join engine_modules e on e.name = m.family
    where e.version is null or e.version <= m.version`;
}

export interface ClaimOptions {
  now: Date;
  nodeId: string;
  limit: number;
  leaseMs: number;
  handlers: readonly RegisteredHandler[];
  /** Commit the claim without waiting for the WAL flush (`asyncCommit`); the engine sets it on PostgreSQL. */
  asyncCommit?: boolean;
}

/**
 * Claims up to `limit` due jobs in one statement: SKIP LOCKED lets concurrent claimers pass over
 * each other's rows instead of waiting, and the lease (locked_until) is what keeps the job from
 * others after this statement commits. A lease that expired (crashed or stuck worker) is claimable.
 */
export async function claimJobs(db: Kysely<DB>, o: ClaimOptions): Promise<ClaimedJob[]> {
  if (o.limit < 1) return [];
  return (await claimDueJobs(db, o)).jobs;
}

/**
 * `claimJobs`, and in the same round trip when the next job this node could run becomes
 * claimable once these are taken (the earliest run_at of unleased jobs or lease expiry, the claimed rows left out), so the engine's
 * loop needs one statement per wake-up, not two.
 */
export async function claimDueJobs(db: Kysely<DB>, o: ClaimOptions): Promise<{ jobs: ClaimedJob[]; next: Date | null }> {
  if (o.handlers.length === 0) return { jobs: [], next: null };
  const lockedUntil = new Date(o.now.getTime() + o.leaseMs);
  // The `next` subqueries read the snapshot before the update: the claimed ids are excluded by hand.
  const { rows } = await sql<JobRow & { next: Date | null }>`
    with runnable as (${runnableKinds(o.handlers)}),
    due as (
      select id from jobs
      where failed_at is null and run_at <= ${o.now}::timestamptz
        and (locked_until is null or locked_until <= ${o.now}::timestamptz)
        and kind in (select kind from runnable)
      order by priority, run_at, id
      limit ${Math.max(0, o.limit)}
      for update skip locked
    ),
    claimed as (
      update jobs set locked_by = ${o.nodeId}, locked_until = ${lockedUntil}::timestamptz, attempts = jobs.attempts + 1
      from due where jobs.id = due.id
      returning jobs.id, jobs.kind, jobs.key, jobs.payload, jobs.run_at, jobs.priority, jobs.attempts,
        jobs.max_attempts, jobs.revision, jobs.created_at
    ),
    upcoming as (
      select least(
        (select min(run_at) from jobs where failed_at is null and locked_until is null
          and kind in (select kind from runnable) and id not in (select id from due)),
        (select min(locked_until) from jobs where failed_at is null and locked_until is not null
          and kind in (select kind from runnable) and id not in (select id from due))
      ) as next
    )
    select upcoming.next, claimed.*, ${asyncCommit(o.asyncCommit)} as async_commit from upcoming left join claimed on true`.execute(db);
  const next = rows[0]?.next ? new Date(rows[0].next) : null;
  const jobs = rows
    .filter((r) => r.id !== null)
    .map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      key: r.key,
      payload: r.payload,
      runAt: r.run_at,
      attempt: r.attempts,
      maxAttempts: r.max_attempts,
      priority: r.priority,
      createdAt: r.created_at,
      lease: { id: Number(r.id), nodeId: o.nodeId, attempt: r.attempts, revision: r.revision },
    }))
    .sort((a, b) => a.priority - b.priority || a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
  return { jobs, next };
}

const ours = (l: Lease) => sql`id = ${l.id} and locked_by = ${l.nodeId} and attempts = ${l.attempt}`;

export type CompleteOutcome = 'deleted' | 'rescheduled' | 'lost';

/**
 * Finishes a successful run. The row is deleted only if this run still holds the lease and nobody
 * rescheduled it meanwhile; a rescheduled job is released to run at its new time instead.
 */
export async function completeJob(db: Kysely<DB>, lease: Lease, options: { asyncCommit?: boolean } = {}): Promise<CompleteOutcome> {
  // One statement: the two conditions are disjoint, so at most one of delete and release applies.
  const { rows } = await sql<{ deleted: number; released: number }>`
    with d as (delete from jobs where ${ours(lease)} and revision = ${lease.revision} returning 1),
    r as (update jobs set locked_by = null, locked_until = null, attempts = 0, last_error = null
      where ${ours(lease)} and revision <> ${lease.revision} returning 1)
    select (select count(*) from d)::int as deleted, (select count(*) from r)::int as released, ${asyncCommit(options.asyncCommit)} as async_commit`.execute(db);
  const row = rows[0]!;
  return Number(row.deleted) > 0 ? 'deleted' : Number(row.released) > 0 ? 'rescheduled' : 'lost';
}

export type FailOutcome = 'retry' | 'failed' | 'rescheduled' | 'lost';

export interface FailInput {
  error: string;
  now: Date;
  retryAt: Date;
  /** No attempts left: keep the row as failed instead of retrying. */
  final: boolean;
}

/**
 * Records a failed run: retry at `retryAt`, or keep the row as failed (failed_at) after the last
 * attempt. A job rescheduled during the run keeps its new schedule and starts its attempts afresh.
 */
export async function failJob(db: Kysely<DB>, lease: Lease, f: FailInput, options: { asyncCommit?: boolean } = {}): Promise<FailOutcome> {
  const same = sql`revision = ${lease.revision}`;
  const { rows } = await sql<{ failed: boolean; same: boolean }>`
    update jobs set locked_by = null, locked_until = null, last_error = ${f.error.slice(0, 8000)},
      run_at = case when ${same} and not ${f.final}::boolean then ${f.retryAt}::timestamptz else run_at end,
      failed_at = case when ${same} and ${f.final}::boolean then ${f.now}::timestamptz else null end,
      attempts = case when ${same} then attempts else 0 end
    where ${ours(lease)}
    returning failed_at is not null as failed, ${same} as same, ${asyncCommit(options.asyncCommit)} as async_commit`.execute(db);
  const row = rows[0];
  if (!row) return 'lost';
  return row.failed ? 'failed' : row.same ? 'retry' : 'rescheduled';
}

/**
 * Records this node's family versions, keeping the highest any node has registered, and returns
 * what the database holds afterwards. A newer node thereby pauses older ones on the next claim.
 */
export async function registerModuleVersions(
  db: Kysely<DB>,
  families: ReadonlyArray<{ name: string; version: number }>,
  now: Date,
): Promise<Map<string, number>> {
  if (families.length === 0) return new Map();
  const rows = await db
    .insertInto('engine_modules')
    .values(families.map((f) => ({ name: f.name, version: f.version, updated_at: now })))
    .onConflict((oc) =>
      oc.column('name').doUpdateSet(() => ({
        version: sql<number>`greatest(engine_modules.version, excluded.version)`,
        updated_at: sql<Date>`case when excluded.version > engine_modules.version then excluded.updated_at else engine_modules.updated_at end`,
      })),
    )
    .returning(['name', 'version'])
    .execute();
  return new Map(rows.map((r) => [r.name, r.version]));
}

/** The recorded version of each named family (absent: never registered). */
export async function readModuleVersions(db: Kysely<DB>, names: readonly string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const rows = await db.selectFrom('engine_modules').select(['name', 'version']).where('name', 'in', names).execute();
  return new Map(rows.map((r) => [r.name, r.version]));
}
