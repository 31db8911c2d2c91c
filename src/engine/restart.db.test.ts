import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FakeClock } from '../core/shared/clock.ts';
import { openEmbedded } from '../storage/open-database.ts';
import { createEngine } from './engine.ts';
import { defineFamily } from './registry.ts';
import { pendingJobs, runRecorder, settle, within } from './testing/harness.ts';

// The embedded database must keep committed jobs through kill -9; that is the crash it promises
// to survive (not power loss: PGlite does not fsync). Embedded only: PostgreSQL durability is the server's.
const node = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
const child = fileURLToPath(new URL('./testing/schedule-then-crash.ts', import.meta.url));
const START = '2026-01-05T09:00:00.000Z';

function crashChild(dataDir: string, mode: 'schedule' | 'mid-run') {
  const r = spawnSync(node, [child, dataDir, START, mode], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.signal, 'SIGKILL', `child should die by SIGKILL; stderr: ${r.stderr}`);
  assert.match(r.stdout, new RegExp(`${mode}: dying`));
  assert.ok(existsSync(join(dataDir, 'vigil.lock')), 'the killed child left its lock file behind');
}

describe('engine across a process kill [embedded PGlite]', () => {
  for (const [mode, title, dueAfterMs] of [
    ['schedule', 'runs a job scheduled (and committed) by a process killed with SIGKILL exactly once after restart', 60_000],
    ['mid-run', 'runs a job whose worker was killed mid-run exactly once after restart, once its lease expired', 5 * 60_000],
  ] as const) {
    it(title, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'vigil-engine-restart-'));
      try {
        crashChild(dataDir, mode);
        const clock = new FakeClock(START);
        const database = await openEmbedded(dataDir, clock.now()); // takes over the stale lock
        const recorder = runRecorder();
        const engine = createEngine({
          database,
          clock,
          leaseMs: 5 * 60_000,
          handlers: [defineFamily('restart', 1, { 'restart.check': async (job) => recorder.record(job) })],
        });
        try {
          assert.equal((await pendingJobs(database.db)).length, 1, 'the committed job survived the kill');
          await engine.start();
          clock.advance(dueAfterMs - 1);
          await settle();
          assert.equal(recorder.runs.length, 0, 'not before it is due');
          const ran = recorder.next();
          clock.advance(1);
          await within(10_000, ran, 'the job to run after restart');
          await settle();
          await engine.stop();
          assert.equal(await engine.drain(), 0);
          assert.equal(recorder.runs.length, 1);
          assert.equal(recorder.runs[0]?.attempt, mode === 'mid-run' ? 2 : 1);
          assert.deepEqual(await pendingJobs(database.db), []);
        } finally {
          await engine.stop();
          await database.close();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});
