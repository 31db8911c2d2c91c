import { sql } from 'kysely';
import { type CronEntry, defineFamily } from '../../engine/index.ts';

/**
 * PGlite runs no autovacuum worker, so the planner's statistics on the fast-growing alert tables
 * stay empty and the alert list falls back to sorting every open alert (measured: 60 ms instead
 * of 0.5 ms at 10,000 open alerts). The server schedules this on the embedded database only;
 * PostgreSQL's own autovacuum does it there.
 */
export const alertStatsJobs = defineFamily('alert-stats', 1, {
  'alert-stats.analyze': async (_job, { db }) => {
    await sql`analyze alerts, incidents, alert_events, change_events`.execute(db);
  },
});

export const alertStatsCron: CronEntry = { name: 'alert-stats-analyze', everyMs: 5 * 60_000, kind: 'alert-stats.analyze' };

/** Rows deleted per statement: keeps each purge transaction short on a large log. */
const PURGE_CHUNK = 5_000;

/**
 * The alert event log and change events grow with every event a sender posts. Once a day, rows
 * older than the retention (`VIGIL_ALERT_LOG_RETENTION_DAYS`, default 90, PagerDuty's keep for
 * change events) are deleted, a chunk per transaction, and so are silences that ended before it. Alerts and incidents themselves are kept:
 * an alert still shows its count, first and last times and latest details, and a postmortem
 * still finds its incident. Idempotent: a second run finds nothing older to delete.
 */
export const alertRetentionJobs = (retentionDays: number) =>
  defineFamily('alert-retention', 1, {
    'alert-retention.purge': async (_job, { db, clock, logger }) => {
      const before = new Date(clock.now().getTime() - retentionDays * 86_400_000);
      const purged = { events: 0, changes: 0, silences: 0 };
      // Rows written since the index last summarised are in no BRIN range yet (and so always read).
      await sql`select brin_summarize_new_values('alert_events_at_brin'::regclass)`.execute(db);
      for (;;) {
        const r = await sql`delete from alert_events where id in (select id from alert_events where at < ${before} order by id limit ${PURGE_CHUNK})`.execute(db);
        purged.events += Number(r.numAffectedRows ?? 0);
        if (Number(r.numAffectedRows ?? 0) < PURGE_CHUNK) break;
      }
      for (;;) {
        const r = await sql`delete from change_events where id in (select id from change_events where happened_at < ${before} limit ${PURGE_CHUNK})`.execute(db);
        purged.changes += Number(r.numAffectedRows ?? 0);
        if (Number(r.numAffectedRows ?? 0) < PURGE_CHUNK) break;
      }
      // Alertmanager keeps expired silences for 5 days; here they stay as long as the log that names them.
      const silences = await db.deleteFrom('silences').where('ends_at', '<', before).executeTakeFirst();
      purged.silences = Number(silences.numDeletedRows);
      if (purged.events || purged.changes || purged.silences) logger.info({ ...purged, before: before.toISOString() }, 'purged the alert log past its retention');
    },
  });

export const alertRetentionCron: CronEntry = { name: 'alert-retention-purge', everyMs: 86_400_000, kind: 'alert-retention.purge' };
