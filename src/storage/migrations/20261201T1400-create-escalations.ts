import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// Paging: each incident's escalation (the policy snapshot it runs on and where it stands) and the
// delivery log of its notifications. The idempotency key makes a second row for one send, and so a
// second send, impossible even when a job runs twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table escalations (
    incident_id uuid primary key references incidents (id) on delete cascade,
    policy jsonb not null,
    level integer not null default 0,
    pass integer not null default 0,
    cursors jsonb not null default '[]',
    next_run_at timestamptz,
    stopped_at timestamptz,
    stop_reason text,
    steps jsonb not null default '[]',
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
    `create table notifications (
    id uuid primary key default gen_random_uuid(),
    incident_id uuid not null references incidents (id) on delete cascade,
    level integer not null,
    pass integer not null,
    user_id uuid references users (id) on delete set null,
    contact_method_id uuid references contact_methods (id) on delete set null,
    delay_minutes integer,
    status text not null check (status in ('queued', 'sending', 'sent', 'failed', 'cancelled')),
    attempts integer not null default 0,
    last_error text,
    idempotency_key text not null unique,
    created_at timestamptz not null,
    sent_at timestamptz,
    updated_at timestamptz not null
  )`,
    `create index notifications_incident_idx on notifications (incident_id, created_at)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`drop table notifications`, `drop table escalations`]);
}
