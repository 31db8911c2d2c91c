import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import type { Database } from '../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../storage/testing/test-database.ts';
import { cancelJobs, scheduleJob, scheduleJobs } from './schedule-job.ts';
import { pendingJobs } from './testing/harness.ts';

const NOW = new Date('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

eachDatabase('bulk scheduling', (kind) => {
  let database: Database;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(() => database.close());

  it('schedules many keyed jobs in one statement, replacing or keeping pending ones by key', async () => {
    await database.db.transaction().execute((tx) => scheduleJob(tx, { kind: 'demo.run', key: 'demo:1', runAt: at(10), payload: { v: 'old' } }));
    const n = await database.db.transaction().execute((tx) =>
      scheduleJobs(tx, [
        { kind: 'demo.run', key: 'demo:1', runAt: at(1), payload: { v: 'new' } },
        { kind: 'demo.run', key: 'demo:2', runAt: at(2), maxAttempts: 3 },
      ]),
    );
    assert.equal(n, 2);
    const rows = await pendingJobs(database.db);
    assert.deepEqual(rows.map((r) => [r.key, r.run_at.toISOString(), r.payload, r.max_attempts]), [
      ['demo:1', at(1).toISOString(), { v: 'new' }, 10],
      ['demo:2', at(2).toISOString(), {}, 3],
    ]);
    const kept = await database.db.transaction().execute((tx) => scheduleJobs(tx, [{ kind: 'demo.run', key: 'demo:2', runAt: at(9) }, { kind: 'demo.run', key: 'demo:3', runAt: at(3) }], 'dedupe'));
    assert.equal(kept, 1, 'dedupe leaves demo:2 as it was');
    assert.equal((await pendingJobs(database.db)).find((r) => r.key === 'demo:2')!.run_at.toISOString(), at(2).toISOString());
    assert.equal(await database.db.transaction().execute((tx) => scheduleJobs(tx, [])), 0);
    assert.equal(await database.db.transaction().execute((tx) => cancelJobs(tx, ['demo:1', 'demo:3', 'demo:none'])), 2);
    assert.deepEqual((await pendingJobs(database.db)).map((r) => r.key), ['demo:2']);
  });

  it('refuses a job without a key or the same key twice, and schedules nothing then', async () => {
    await assert.rejects(database.db.transaction().execute((tx) => scheduleJobs(tx, [{ kind: 'demo.run', runAt: NOW }])), /key/);
    await assert.rejects(
      database.db.transaction().execute((tx) => scheduleJobs(tx, [{ kind: 'demo.run', key: 'k:1', runAt: NOW }, { kind: 'demo.run', key: 'k:1', runAt: NOW }])),
      /twice/,
    );
    assert.deepEqual(await pendingJobs(database.db), []);
  });
});
