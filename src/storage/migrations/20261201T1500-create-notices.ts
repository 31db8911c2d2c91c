import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// Notices: messages to a person that are not pages (a shift about to start, a swap asked or
// decided), sent through the methods of their low-urgency rules. The key makes each one once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table notices (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users (id) on delete cascade,
    key text not null unique,
    kind text not null,
    subject text not null,
    text text not null,
    body jsonb not null,
    status text not null check (status in ('queued', 'sent', 'skipped', 'failed')),
    last_error text,
    created_at timestamptz not null,
    sent_at timestamptz
  )`,
    `create index notices_user_idx on notices (user_id, created_at desc)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`drop table notices`]);
}
