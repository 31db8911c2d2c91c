import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// The daily retention purge finds old alert log rows by time. The log is append-only and its times
// rise with its ids, which is what a BRIN index is for: a few pages for millions of rows, and next
// to nothing added to the cost of the insert on the ingest path (a btree would be one more index
// entry per event). The purge summarises new ranges itself, so no vacuum is needed for it to work.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`create index alert_events_at_brin on alert_events using brin (at)`]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`drop index alert_events_at_brin`]);
}
