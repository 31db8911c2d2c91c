import { setTimeout as delay } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.ts';
import type { EngineLogger, Job } from '../registry.ts';

/** A logger that keeps what was logged, for asserting on loud warnings. */
export function memoryLogger(): EngineLogger & { lines: Array<{ level: string; msg: string; obj: object }> } {
  const lines: Array<{ level: string; msg: string; obj: object }> = [];
  return {
    lines,
    info: (obj, msg) => lines.push({ level: 'info', msg, obj }),
    warn: (obj, msg) => lines.push({ level: 'warn', msg, obj }),
    error: (obj, msg) => lines.push({ level: 'error', msg, obj }),
  };
}

/** Records every run; `next()` resolves on the next run (for engines running on their own loop). */
export function runRecorder() {
  const runs: Job[] = [];
  let waiters: Array<(job: Job) => void> = [];
  return {
    runs,
    record(job: Job) {
      runs.push(job);
      for (const w of waiters.splice(0)) w(job);
    },
    next(): Promise<Job> {
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

/** Fails (instead of hanging the suite) when `promise` does not settle within `ms` of real time. */
export async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  const ac = new AbortController();
  try {
    return await Promise.race([
      promise,
      delay(ms, undefined, { signal: ac.signal }).then(() => {
        throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      }),
    ]);
  } finally {
    ac.abort();
  }
}

/** Lets the event loop run (pending handlers, notifications) without advancing any clock. */
export const settle = (ms = 50) => delay(ms);

export const pendingJobs = (db: Kysely<DB>) => db.selectFrom('jobs').selectAll().orderBy('id').execute();
