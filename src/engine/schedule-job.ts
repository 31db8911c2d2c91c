import { type Kysely, sql } from 'kysely';
import { validationError } from '../core/shared/errors.ts';
import type { DB } from '../storage/schema.ts';

/** NOTIFY channel that wakes engines (other nodes over PostgreSQL, in-process on PGlite). */
export const JOBS_CHANNEL = 'vigil_jobs';

/**
 * What to do when a pending job (scheduled or running, not failed) already holds the key:
 * - `replace`: move it to the new run_at, payload and kind, and reset its attempts (new work);
 * - `preserve_run_at`: update payload and kind but keep its deadline (debounce to the first deadline);
 * - `dedupe`: leave it untouched; add only when no pending job has the key.
 */
export type KeyMode = 'replace' | 'preserve_run_at' | 'dedupe';

export interface ScheduleJobInput {
  /** `<family>.<event>`, for example `escalation.due`. */
  kind: string;
  /** `<domain>:<id>`, for example `escalation:42`; unique among pending jobs. */
  key?: string;
  runAt: Date;
  payload?: unknown;
  keyMode?: KeyMode;
  /** Lower runs first among due jobs; default 0. */
  priority?: number;
  /** Runs before the job is kept as failed; default 10. */
  maxAttempts?: number;
  /**
   * The caller's `clock.now()`, recorded as created_at. Informational only (nothing is decided on
   * it); when omitted the database's transaction time is recorded instead.
   */
  now?: Date;
}

export interface ScheduleJobResult {
  id: number;
  /** created: new row; updated: an existing pending job was replaced/updated; kept: dedupe hit. */
  outcome: 'created' | 'updated' | 'kept';
}

function validate(input: ScheduleJobInput): void {
  const fields = [];
  if (!/^[a-z][a-z0-9_-]*\.[a-z0-9_.-]+$/.test(input.kind)) fields.push({ field: 'kind', reason: 'must be <family>.<event>' });
  if (!(input.runAt instanceof Date) || Number.isNaN(input.runAt.getTime())) fields.push({ field: 'runAt', reason: 'must be a valid Date' });
  if (input.key !== undefined && input.key.length === 0) fields.push({ field: 'key', reason: 'must not be empty' });
  if (input.keyMode && input.key === undefined) fields.push({ field: 'keyMode', reason: 'needs a key' });
  if (input.maxAttempts !== undefined && !(Number.isInteger(input.maxAttempts) && input.maxAttempts >= 1)) {
    fields.push({ field: 'maxAttempts', reason: 'must be an integer >= 1' });
  }
  if (input.priority !== undefined && !Number.isInteger(input.priority)) fields.push({ field: 'priority', reason: 'must be an integer' });
  if (fields.length) throw validationError(fields, `Invalid job: ${fields.map((f) => `${f.field} ${f.reason}`).join('; ')}`);
}

/**
 * Schedules a job inside the caller's transaction, so the timer exists exactly when the state
 * change that implies it commits (a rollback leaves no job). Also queues a NOTIFY, which PostgreSQL
 * delivers on commit, to wake idle engines.
 */
export async function scheduleJob(tx: Kysely<DB>, input: ScheduleJobInput): Promise<ScheduleJobResult> {
  validate(input);
  const payload = JSON.stringify(input.payload ?? {});
  const priority = input.priority ?? 0;
  const maxAttempts = input.maxAttempts ?? 10;
  const key = input.key ?? null;
  // A running job being replaced keeps its lease and attempt count (they identify the running
  // attempt); the revision bump tells that attempt not to delete the row when it finishes.
  const onConflict =
    key === null
      ? sql``
      : input.keyMode === 'dedupe'
        ? sql`on conflict (key) where failed_at is null do nothing`
        : input.keyMode === 'preserve_run_at'
          ? sql`on conflict (key) where failed_at is null do update set
              kind = excluded.kind, payload = excluded.payload, priority = excluded.priority,
              max_attempts = excluded.max_attempts, revision = jobs.revision + 1`
          : sql`on conflict (key) where failed_at is null do update set
              kind = excluded.kind, payload = excluded.payload, run_at = excluded.run_at,
              priority = excluded.priority, max_attempts = excluded.max_attempts, revision = jobs.revision + 1,
              attempts = case when jobs.locked_by is null then 0 else jobs.attempts end,
              last_error = case when jobs.locked_by is null then null else jobs.last_error end`;
  // One statement: the insert and the notify (skipped when nothing changed).
  const { rows } = await sql<{ id: number; created: boolean }>`
    with j as (
      insert into jobs (kind, key, payload, run_at, priority, max_attempts, created_at)
      values (${input.kind}, ${key}, ${payload}::jsonb, ${input.runAt}::timestamptz, ${priority}, ${maxAttempts}, coalesce(${input.now ?? null}::timestamptz, now()))
      ${onConflict}
      returning id, (xmax = 0) as created
    )
    select j.id, j.created, pg_notify(${JOBS_CHANNEL}, '') from j`.execute(tx);
  const row = rows[0];
  if (row) return { id: Number(row.id), outcome: row.created ? 'created' : 'updated' };
  const existing = await tx
    .selectFrom('jobs')
    .select('id')
    .where('key', '=', key)
    .where('failed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { id: existing.id, outcome: 'kept' };
}

/**
 * Schedules many jobs in one statement (a batch that opens many incidents, a step that pages many
 * people), inside the caller's transaction, with one NOTIFY. Every job needs a key, keys must be
 * distinct, and one `keyMode` (`replace` or `dedupe`) applies to all. Returns how many rows were
 * created or updated.
 */
export async function scheduleJobs(tx: Kysely<DB>, inputs: readonly ScheduleJobInput[], keyMode: 'replace' | 'dedupe' = 'replace'): Promise<number> {
  if (inputs.length === 0) return 0;
  const keys = new Set<string>();
  for (const input of inputs) {
    validate(input);
    if (input.key === undefined) throw validationError([{ field: 'key', reason: 'is required in a bulk schedule' }]);
    if (keys.has(input.key)) throw validationError([{ field: 'key', reason: `${input.key} appears twice in one bulk schedule` }]);
    keys.add(input.key);
  }
  const rows = inputs.map((input, ord) => ({
    ord,
    kind: input.kind,
    key: input.key,
    payload: input.payload ?? {},
    run_at: input.runAt.toISOString(),
    priority: input.priority ?? 0,
    max_attempts: input.maxAttempts ?? 10,
    created_at: input.now?.toISOString() ?? null,
  }));
  const onConflict =
    keyMode === 'dedupe'
      ? sql`on conflict (key) where failed_at is null do nothing`
      : sql`on conflict (key) where failed_at is null do update set
          kind = excluded.kind, payload = excluded.payload, run_at = excluded.run_at,
          priority = excluded.priority, max_attempts = excluded.max_attempts, revision = jobs.revision + 1,
          attempts = case when jobs.locked_by is null then 0 else jobs.attempts end,
          last_error = case when jobs.locked_by is null then null else jobs.last_error end`;
  const { rows: out } = await sql<{ n: number }>`
    with j as (
      insert into jobs (kind, key, payload, run_at, priority, max_attempts, created_at)
      select v.kind, v.key, v.payload, v.run_at, v.priority, v.max_attempts, coalesce(v.created_at, now())
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(ord int, kind text, key text, payload jsonb, run_at timestamptz,
        priority int, max_attempts int, created_at timestamptz)
      order by v.ord
      ${onConflict}
      returning id
    )
    select count(*)::int as n, pg_notify(${JOBS_CHANNEL}, '') from j having count(*) > 0`.execute(tx);
  return Number(out[0]?.n ?? 0);
}

/** Deletes the pending jobs with these keys (bulk `cancelJob`); returns how many existed. */
export async function cancelJobs(tx: Kysely<DB>, keys: readonly string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const result = await tx.deleteFrom('jobs').where('key', 'in', keys).where('failed_at', 'is', null).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Deletes the pending job with this key (for example on acknowledge), in the caller's transaction.
 * A run already in progress finishes, but the job does not run again. Returns whether one existed.
 */
export async function cancelJob(tx: Kysely<DB>, key: string): Promise<boolean> {
  const result = await tx.deleteFrom('jobs').where('key', '=', key).where('failed_at', 'is', null).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
