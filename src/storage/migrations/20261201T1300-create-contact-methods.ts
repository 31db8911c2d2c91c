import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// How people are reached: contact methods (verified before they can be paged) and notification
// rules (which method, after how many minutes, per urgency).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table contact_methods (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users (id) on delete cascade,
    type text not null check (type in ('email', 'webhook')),
    label text not null,
    address text not null,
    verified_at timestamptz,
    code_hash text,
    code_expires_at timestamptz,
    code_attempts integer not null default 0,
    code_sent_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    unique (user_id, type, address)
  )`,
    `create table notification_rules (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users (id) on delete cascade,
    contact_method_id uuid not null references contact_methods (id) on delete cascade,
    urgency text not null check (urgency in ('high', 'low')),
    delay_minutes integer not null check (delay_minutes between 0 and 1440),
    created_at timestamptz not null,
    unique (contact_method_id, urgency, delay_minutes)
  )`,
    `create index notification_rules_user_idx on notification_rules (user_id, urgency, delay_minutes)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`drop table notification_rules`, `drop table contact_methods`]);
}
