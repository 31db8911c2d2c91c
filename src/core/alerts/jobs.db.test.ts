import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { createEngine, type Engine } from '../../engine/index.ts';
import { memoryLogger } from '../../engine/testing/harness.ts';
import type { Database } from '../../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { FakeClock } from '../shared/clock.ts';
import { alertRetentionCron, alertRetentionJobs, alertStatsCron, alertStatsJobs } from './jobs.ts';

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

eachDatabase('alert log retention job', (kind) => {
  let database: Database;
  let engine: Engine;
  const clock = new FakeClock('2026-05-01T10:00:00Z');
  before(async () => {
    database = await createTestDatabase(kind);
    engine = createEngine({ database, clock, handlers: [alertRetentionJobs(30)], cron: [alertRetentionCron], logger: memoryLogger(), random: () => 0.5 });
  });
  after(async () => {
    await engine.stop();
    await database.close();
  });

  it('deletes log rows, change events and silences older than the retention on its daily cron, keeping alerts and newer rows', async () => {
    const now = clock.now();
    const day = 86_400_000;
    const { id: serviceId } = await database.db.insertInto('services').values({ name: 'S', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const alertId = (
      await sql<{ id: string }>`insert into alerts (service_id, dedup_key, status, sender, summary, severity, urgency, count, started_at, created_at, last_seen_at, updated_at)
        values (${serviceId}, 'k', 'triggered', 'generic', 'x', 'error', 'high', 12000, ${now}, ${now}, ${now}, ${now}) returning id`.execute(database.db)
    ).rows[0]!.id;
    // 12,000 events 40 to 29 days before the cron's first slot (more than two purge chunks are old).
    await sql`insert into alert_events (at, alert_id, service_id, sender, action, decision, reason)
      select ${new Date(now.getTime() - 40 * day)}::timestamptz + g * interval '80 seconds', ${alertId}, ${serviceId}, 'generic', 'trigger', 'deduplicated', 'repeat'
      from generate_series(0, 11999) g`.execute(database.db);
    for (const daysAgo of [31, 10]) {
      await sql`insert into change_events (service_id, summary, happened_at, received_at)
        values (${serviceId}, ${`deploy ${daysAgo}`}, ${new Date(now.getTime() - daysAgo * day)}, ${now})`.execute(database.db);
    }
    for (const [name, endedDaysAgo] of [['old', 31], ['recent', 29]] as const) {
      const ends = new Date(now.getTime() - endedDaysAgo * day);
      await sql`insert into silences (matchers, comment, starts_at, ends_at, created_by, created_at, updated_at)
        values ('[{"name":"a","op":"=","value":"b"}]', ${name}, ${new Date(ends.getTime() - day)}, ${ends}, 'test', ${now}, ${now})`.execute(database.db);
    }
    const count = async (before: Date) =>
      Number((await sql<{ n: number }>`select count(*)::int as n from alert_events where at < ${before}`.execute(database.db)).rows[0]!.n);
    const total = async () => Number((await sql<{ n: number }>`select count(*)::int as n from alert_events`.execute(database.db)).rows[0]!.n);
    assert.equal(await total(), 12_000);

    await engine.drain();
    assert.equal(await total(), 12_000, 'nothing purged before the first daily slot');
    clock.advance(day);
    await engine.drain();
    const cutoff = new Date(clock.now().getTime() - 30 * day);
    assert.equal(await count(cutoff), 0, 'no row older than 30 days is left');
    // Rows run from 40 to 28.9 days before the start, one every 80 s; a day later the cutoff is 29
    // days before the start, so the first 11 days (11,880 rows) go and the last 120 stay.
    assert.equal(await total(), 120);
    const changes = await database.db.selectFrom('change_events').select('summary').execute();
    assert.deepEqual(changes.map((c) => c.summary), ['deploy 10']);
    const silences = await database.db.selectFrom('silences').select('comment').execute();
    assert.deepEqual(silences.map((c) => c.comment), ['recent'], 'a silence that ended 30 days ago is deleted');
    const alert = await database.db.selectFrom('alerts').select('count').where('id', '=', alertId).executeTakeFirstOrThrow();
    assert.equal(alert.count, 12_000, 'the alert itself and its count stay');
  });
});
