import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock } from '../core/shared/clock.ts';
import type { Database } from '../storage/open-database.ts';
import type { KeyRateLimiter } from './key-rate-limit.ts';

export const INGEST_RATES_CHANNEL = 'vigil_ingest_rates';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7_000;

export interface SharedRateLimits {
  /** Counts events this node accepted for a (hashed) key; told to the other nodes within a second. */
  record(key: string, cost: number): void;
  /** Sends what is still untold; the tests call it instead of waiting for the next second. */
  publish(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Several nodes behind a load balancer share one budget per integration key: each node keeps its
 * token buckets in memory and, once a second, NOTIFYs the others of what it accepted per key, which
 * they spend from their own buckets. No statement is added to a request; the deployment may pass
 * the limit by at most about a second's worth of events before every node knows. Keys travel as
 * hashes, never as the secrets they are. Starts listening on the first event it records.
 */
export function shareKeyRateLimits(database: Database, clock: Clock, limiter: KeyRateLimiter, onError: (e: unknown) => void): SharedRateLimits {
  const node = randomUUID();
  const untold = new Map<string, number>();
  const stopping = new AbortController();
  let started: Promise<void> | null = null;
  let unlisten: (() => Promise<void>) | null = null;

  const heard = (payload: string) => {
    try {
      const message = JSON.parse(payload) as { n: string; k: Record<string, number> };
      if (message.n === node) return;
      const now = clock.now().getTime();
      for (const [key, cost] of Object.entries(message.k)) if (Number.isFinite(cost) && cost > 0) limiter.spend(key, now, cost);
    } catch (e) {
      onError(e);
    }
  };

  const publish = async () => {
    if (untold.size === 0) return;
    const messages: Record<string, number>[] = [{}];
    let size = 0;
    for (const [key, cost] of untold) {
      size += key.length + 16;
      if (size > MAX_PAYLOAD) {
        messages.push({});
        size = key.length + 16;
      }
      messages.at(-1)![key] = cost;
    }
    untold.clear();
    for (const k of messages) await sql`select pg_notify(${INGEST_RATES_CHANNEL}, ${JSON.stringify({ n: node, k })})`.execute(database.db);
  };

  const start = async () => {
    unlisten = await database.listen(INGEST_RATES_CHANNEL, heard);
    void (async () => {
      while (!stopping.signal.aborted) {
        await clock.sleep(1_000, stopping.signal);
        if (!stopping.signal.aborted) await publish().catch(onError);
      }
    })();
  };

  return {
    record(key, cost) {
      untold.set(key, (untold.get(key) ?? 0) + cost);
      started ??= start().catch(onError);
    },
    publish,
    async stop() {
      stopping.abort();
      await started;
      await unlisten?.();
    },
  };
}
