import { type CronEntry, defineFamily } from '../../engine/index.ts';

/**
 * Expired sessions are refused at sign-in time already; this hourly job only keeps the table
 * small. Idempotent: deleting what is already gone deletes nothing.
 */
export const sessionJobs = defineFamily('sessions', 1, {
  'sessions.purge': async (_job, { db, clock }) => {
    await db.deleteFrom('sessions').where('expires_at', '<=', clock.now()).execute();
  },
});

export const sessionCron: CronEntry = { name: 'sessions-purge', everyMs: 3_600_000, kind: 'sessions.purge' };
