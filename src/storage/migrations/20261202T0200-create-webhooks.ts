import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// Outgoing webhooks: subscriptions (per service or every service), the incident events they were
// sent, and one delivery row per (event, subscription) as the delivery log. The signing secret is
// stored as is: the server needs it back to sign every delivery (a hash could only verify).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table webhook_subscriptions (
    id uuid primary key default gen_random_uuid(),
    url text not null,
    description text not null default '',
    service_id uuid references services (id) on delete cascade,
    events jsonb not null,
    enabled boolean not null default true,
    secret text not null,
    previous_secret text,
    previous_secret_until timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
    `create table webhook_events (
    id uuid primary key default gen_random_uuid(),
    type text not null,
    incident_id uuid references incidents (id) on delete set null,
    service_id uuid references services (id) on delete set null,
    occurred_at timestamptz not null,
    incident jsonb,
    data jsonb not null default '{}'
  )`,
    `create table webhook_deliveries (
    id uuid primary key default gen_random_uuid(),
    seq bigint generated always as identity,
    subscription_id uuid not null references webhook_subscriptions (id) on delete cascade,
    event_id uuid not null references webhook_events (id) on delete cascade,
    redelivery_of uuid,
    status text not null check (status in ('queued', 'sending', 'delivered', 'failed')),
    attempts integer not null default 0,
    last_status_code integer,
    last_error text,
    response_excerpt text,
    duration_ms integer,
    next_attempt_at timestamptz,
    last_attempt_at timestamptz,
    delivered_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
    `create index webhook_deliveries_subscription_idx on webhook_deliveries (subscription_id, seq)`,
    `create index webhook_deliveries_event_idx on webhook_deliveries (event_id)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`drop table webhook_deliveries`, `drop table webhook_events`, `drop table webhook_subscriptions`]);
}
