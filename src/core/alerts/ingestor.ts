import type { Kysely } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import type { DB } from '../../storage/schema.ts';
import { applySignals, type IngestItem, type IngestResult } from './apply-signals.ts';

export interface Ingestor {
  /** Resolves once the items are committed (a request answers 2xx only then); rejects if not. */
  submit(items: IngestItem[]): Promise<IngestResult[]>;
  /** Waits for everything submitted so far. */
  drain(): Promise<void>;
}

interface Pending {
  items: IngestItem[];
  resolve(results: IngestResult[]): void;
  reject(error: unknown): void;
}

/**
 * Group commit: while one transaction is being written, new requests queue up, and the next
 * transaction takes all of them at once. An idle ingestor commits a lone request after one turn of
 * the event loop, so low load costs no added latency and high load costs one commit per batch
 * instead of per event.
 * If a batch fails, each request is retried in a transaction of its own, so one bad event cannot
 * fail its neighbours.
 */
export function createIngestor(db: Kysely<DB>, clock: Clock, options: { maxBatchItems?: number } = {}): Ingestor {
  const maxBatch = options.maxBatchItems ?? 500;
  const queue: Pending[] = [];
  let running: Promise<void> | null = null;

  /**
   * Two nodes can still deadlock on alert rows they update in different orders (or hit a
   * serialization failure); PostgreSQL then aborts one transaction, which is safe to run again.
   */
  const commit = async (items: IngestItem[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction().execute((tx) => applySignals(tx, clock.now(), items));
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (attempt >= 5 || (code !== '40P01' && code !== '40001')) throw e;
        await new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  };

  async function run(): Promise<void> {
    // Let the event loop read the requests already on their sockets before a batch is cut: the
    // embedded database runs a transaction without yielding, so without this pause every request
    // would arrive after the previous commit and each batch would hold one event.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (queue.length) {
      const batch: Pending[] = [];
      let size = 0;
      while (queue.length && (batch.length === 0 || size + queue[0]!.items.length <= maxBatch)) {
        const next = queue.shift()!;
        batch.push(next);
        size += next.items.length;
      }
      try {
        const results = await commit(batch.flatMap((p) => p.items));
        let at = 0;
        for (const p of batch) {
          p.resolve(results.slice(at, at + p.items.length));
          at += p.items.length;
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      } catch (batchError) {
        if (batch.length === 1) {
          batch[0]!.reject(batchError);
          continue;
        }
        for (const p of batch) {
          try {
            p.resolve(await commit(p.items));
          } catch (e) {
            p.reject(e);
          }
        }
      }
    }
  }

  const kick = () => {
    running ??= run().finally(() => {
      running = null;
      if (queue.length) kick();
    });
  };

  return {
    submit(items) {
      if (items.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        queue.push({ items, resolve, reject });
        kick();
      });
    },
    async drain() {
      while (running) await running;
    },
  };
}
