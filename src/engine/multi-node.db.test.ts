import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '../core/shared/clock.ts';
import type { Database } from '../storage/open-database.ts';
import { createPostgresTestDatabase, openPostgresSchema, POSTGRES_SKIP_REASON, postgresTestUrl } from '../storage/testing/test-database.ts';
import { claimDueJobs } from './claim-jobs.ts';
import { createEngine, type Engine } from './engine.ts';
import { buildRegistry, defineFamily } from './registry.ts';
import { scheduleJob } from './schedule-job.ts';
import { memoryLogger } from './testing/harness.ts';

// graphile-worker's "tower defence" idea: several nodes, each with its own pool, race to claim the
// same rows on a real server; every job must run exactly once. PostgreSQL only: PGlite is one session.
const JOBS = 500;
const NODES = 4;

describe('engine on several nodes [PostgreSQL]', { skip: postgresTestUrl() ? false : POSTGRES_SKIP_REASON }, () => {
  it(`runs ${JOBS} jobs on ${NODES} nodes × concurrency 2, each exactly once`, async () => {
    const primary = await createPostgresTestDatabase();
    const nodes: Database[] = [];
    const engines: Engine[] = [];
    try {
      // No unique constraint on purpose: a double run must show up as a duplicate row, not an error.
      await sql`create table engine_test_runs (job_id bigint not null, node text not null)`.execute(primary.db);
      for (let i = 0; i < NODES; i++) nodes.push(await openPostgresSchema(primary.url, primary.schema, 3));
      const perNode = new Map<string, number>();
      for (const [i, database] of nodes.entries()) {
        const nodeId = `node-${i}`;
        const family = defineFamily('load', 1, {
          'load.run': async (job, { db }) => {
            await delay(Math.random() * 3); // jitter so claims and finishes interleave across nodes
            await sql`insert into engine_test_runs (job_id, node) values (${job.id}, ${nodeId})`.execute(db);
            perNode.set(nodeId, (perNode.get(nodeId) ?? 0) + 1);
          },
        });
        engines.push(createEngine({ database, clock: systemClock, nodeId, concurrency: 2, pollMs: 2_000, handlers: [family], logger: memoryLogger() }));
      }
      await Promise.all(engines.map((e) => e.start()));
      // Scheduled while the nodes run, in batches, so claims race with inserts and NOTIFYs.
      for (let batch = 0; batch < JOBS / 50; batch++) {
        await primary.db.transaction().execute(async (tx) => {
          for (let j = 0; j < 50; j++) {
            await scheduleJob(tx, { kind: 'load.run', runAt: systemClock.now(), payload: { n: batch * 50 + j }, now: systemClock.now() });
          }
        });
      }
      const deadline = performance.now() + 60_000;
      for (;;) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from jobs`.execute(primary.db);
        if (rows[0]!.n === 0) break;
        if (performance.now() > deadline) assert.fail(`${rows[0]!.n} jobs still pending after 60 s`);
        await delay(50);
      }
      await Promise.all(engines.map((e) => e.stop()));
      const { rows } = await sql<{ runs: number; jobs: number }>`
        select count(*)::int as runs, count(distinct job_id)::int as jobs from engine_test_runs`.execute(primary.db);
      assert.deepEqual(rows[0], { runs: JOBS, jobs: JOBS });
      assert.ok(perNode.size >= 2, `work spread over nodes: ${JSON.stringify([...perNode])}`);
    } finally {
      await Promise.all(engines.map((e) => e.stop()));
      await Promise.all(nodes.map((n) => n.close()));
      await primary.close();
    }
  });

  it('keeps two sessions\' batch claims apart with SKIP LOCKED, and the passed-over rows read as due now', async () => {
    const primary = await createPostgresTestDatabase();
    const other = await openPostgresSchema(primary.url, primary.schema, 2);
    try {
      const now = systemClock.now();
      const leaseMs = 60_000;
      await primary.db.transaction().execute(async (tx) => {
        for (let n = 0; n < 6; n++) await scheduleJob(tx, { kind: 'load.run', runAt: now, payload: { n }, now });
      });
      const handlers = [...buildRegistry([defineFamily('load', 1, { 'load.run': async () => {} })]).values()];
      const claim = (db: Database['db'], nodeId: string) => claimDueJobs(db, { now, nodeId, limit: 4, leaseMs, handlers });
      let a: Awaited<ReturnType<typeof claim>> | undefined;
      let b: Awaited<ReturnType<typeof claim>> | undefined;
      await primary.db.transaction().execute(async (tx) => {
        a = await claim(tx, 'a'); // its row locks are held until this transaction commits
        b = await claim(other.db, 'b');
      });
      assert.equal(a!.jobs.length, 4);
      assert.equal(b!.jobs.length, 2, 'the other session passed over the locked rows instead of waiting');
      assert.deepEqual(new Set([...a!.jobs, ...b!.jobs].map((j) => j.id)).size, 6, 'no job claimed twice');
      assert.ok(b!.next && b!.next.getTime() <= now.getTime(), 'rows being claimed elsewhere read as due: the engine looks again soon');
      const after = await claim(other.db, 'b');
      assert.deepEqual(after.jobs, []);
      assert.equal(after.next?.getTime(), now.getTime() + leaseMs, 'once committed, the next is the first lease to expire');
    } finally {
      await other.close();
      await primary.close();
    }
  });
});
