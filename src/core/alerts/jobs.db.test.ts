import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { createEngine, type Engine } from '../../engine/index.ts';
import { memoryLogger } from '../../engine/testing/harness.ts';
import type { Database } from '../../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { FakeClock } from '../shared/clock.ts';
import { alertStatsCron, alertStatsJobs } from './jobs.ts';

eachDatabase('alert statistics job', (kind) => {
  let database: Database;
  let engine: Engine;
  const clock = new FakeClock('2026-05-01T10:00:00Z');
  before(async () => {
    database = await createTestDatabase(kind);
    engine = createEngine({ database, clock, handlers: [alertStatsJobs], cron: [alertStatsCron], logger: memoryLogger(), random: () => 0.5 });
  });
  after(async () => {
    await engine.stop();
    await database.close();
  });

  it('gives the planner row counts for the alert tables on its five-minute cron', async () => {
    const now = clock.now();
    const { id } = await database.db.insertInto('services').values({ name: 'S', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    await sql`insert into alerts (service_id, dedup_key, status, sender, summary, severity, urgency, started_at, created_at, last_seen_at, updated_at)
      select ${id}, 'k' || g, 'triggered', 'generic', 'x', 'error', 'high', ${now}, ${now}, ${now}, ${now} from generate_series(1, 500) g`.execute(database.db);
    const tuples = async () => Number((await sql<{ n: number }>`select reltuples as n from pg_class where relname = 'alerts' and relnamespace = current_schema()::regnamespace`.execute(database.db)).rows[0]!.n);
    await engine.drain();
    // PostgreSQL's autovacuum may get there first; the embedded database has none.
    if (kind === 'pglite') assert.equal(await tuples(), -1, 'not analysed before its slot');
    clock.advance(5 * 60_000);
    await engine.drain();
    assert.equal(await tuples(), 500);
  });
});
