import { type Kysely, sql } from 'kysely';
import type { DB } from '../storage/schema.ts';
import { scheduleJob } from './schedule-job.ts';

/**
 * Periodic work: `kind` runs once per slot, slot n being due at n × everyMs since the epoch (UTC).
 * Wall-clock schedules in a time zone (hand-offs at 09:00 Sydney) belong to their domain, which
 * schedules its own keyed jobs; cron is for "every 5 minutes" housekeeping.
 */
export interface CronEntry {
  /** Unique per deployment: `heartbeat-check`; the job keys are `cron:<name>:<slot>`. */
  name: string;
  everyMs: number;
  kind: string;
  maxAttempts?: number;
  priority?: number;
}

/** What a cron job's handler receives as payload. */
export interface CronPayload {
  name: string;
  slot: number;
  scheduledFor: string;
}

const NAME = /^[a-z0-9][a-z0-9_.-]*$/;

export function validateCronEntry(entry: CronEntry): CronEntry {
  if (!NAME.test(entry.name)) throw new Error(`Cron name "${entry.name}" must match ${NAME}`);
  if (!Number.isInteger(entry.everyMs) || entry.everyMs < 1000) throw new Error(`Cron "${entry.name}": everyMs must be an integer >= 1000`);
  return entry;
}

export const cronKey = (name: string, slot: number): string => `cron:${name}:${slot}`;

/** `cron:<name>:<slot>` → its parts; null for any other key. */
export function parseCronKey(key: string | null): { name: string; slot: number } | null {
  const m = key?.match(/^cron:(.+):(\d+)$/);
  return m ? { name: m[1]!, slot: Number(m[2]) } : null;
}

export const cronSlotTime = (everyMs: number, slot: number): Date => new Date(slot * everyMs);

/**
 * The slot to enqueue next. A new chain starts at the next boundary after `now`. After slot
 * `finished` it is the following slot, except that slots missed while no node ran are skipped:
 * a node back after three hours runs an hourly entry once, immediately, not three times.
 */
export function nextCronSlot(everyMs: number, now: Date, finished?: number): number {
  const current = Math.floor(now.getTime() / everyMs);
  return finished === undefined ? current + 1 : Math.max(finished + 1, current);
}

async function enqueueSlot(tx: Kysely<DB>, entry: CronEntry, slot: number, now: Date): Promise<void> {
  const runAt = cronSlotTime(entry.everyMs, slot);
  const payload: CronPayload = { name: entry.name, slot, scheduledFor: runAt.toISOString() };
  await scheduleJob(tx, {
    kind: entry.kind,
    key: cronKey(entry.name, slot),
    keyMode: 'dedupe',
    runAt,
    payload,
    now,
    ...(entry.maxAttempts ? { maxAttempts: entry.maxAttempts } : {}),
    ...(entry.priority !== undefined ? { priority: entry.priority } : {}),
  });
}

/**
 * Each entry is a chain of one pending job at a time: finishing slot n enqueues the next slot in
 * the same transaction (continueCronChain). This starts the chain when none is pending. The
 * advisory lock serialises nodes starting together, so they cannot start two chains (two chains
 * would fire twice per slot); a dedupe on the slot key alone would not prevent that across a slot
 * boundary or clock skew between nodes.
 */
export async function ensureCronChain(db: Kysely<DB>, entry: CronEntry, now: Date): Promise<void> {
  const prefix = `cron:${entry.name}:`;
  await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${prefix}))`.execute(tx);
    const pending = await tx
      .selectFrom('jobs')
      .select('id')
      .where(sql<boolean>`starts_with(key, ${prefix})`)
      .where('failed_at', 'is', null)
      .executeTakeFirst();
    if (!pending) await enqueueSlot(tx, entry, nextCronSlot(entry.everyMs, now), now);
  });
}

/** Enqueues the slot after `finished`; call in the transaction that finishes that slot's job. */
export function continueCronChain(tx: Kysely<DB>, entry: CronEntry, finished: number, now: Date): Promise<void> {
  return enqueueSlot(tx, entry, nextCronSlot(entry.everyMs, now, finished), now);
}
