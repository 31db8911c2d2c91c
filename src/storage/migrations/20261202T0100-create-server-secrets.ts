import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// Keys the server generates for itself (core/action-links: the key one-click links in pages are
// signed with). Kept in the database so every node on it signs and verifies alike, across restarts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table server_secrets (
    name text primary key,
    value text not null,
    created_at timestamptz not null
  )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, ['drop table server_secrets']);
}
