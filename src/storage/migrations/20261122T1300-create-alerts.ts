import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// Alert ingestion: alerts (one open per service and dedup key, enforced by a partial unique index),
// the log of every event received and the decision taken on it, the incidents alerts open or join,
// change events, and the noise controls (maintenance windows, silences, event rules, heartbeats).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    // How a service turns alerts into incidents and severities into urgency (null: the defaults).
    `alter table services add column alert_grouping jsonb not null default '{"mode":"none"}'`,
    `alter table services add column urgency_rule jsonb`,
    `create table incidents (
    id uuid primary key default gen_random_uuid(),
    number bigint generated always as identity unique,
    service_id uuid not null references services (id) on delete cascade,
    title text not null,
    status text not null check (status in ('triggered', 'acknowledged', 'resolved')),
    urgency text not null check (urgency in ('high', 'low')),
    group_key text,
    alert_count integer not null default 0,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    acknowledged_at timestamptz,
    resolved_at timestamptz
  )`,
    `create index incidents_open_idx on incidents (service_id, created_at desc) where status <> 'resolved'`,
    `create index incidents_created_idx on incidents (created_at desc)`,
    `create table alerts (
    id uuid primary key default gen_random_uuid(),
    number bigint generated always as identity unique,
    service_id uuid not null references services (id) on delete cascade,
    incident_id uuid references incidents (id) on delete set null,
    dedup_key text not null,
    status text not null check (status in ('triggered', 'acknowledged', 'resolved')),
    sender text not null,
    summary text not null,
    source text,
    severity text not null check (severity in ('critical', 'error', 'warning', 'info')),
    urgency text not null check (urgency in ('high', 'low')),
    component text,
    grp text,
    class text,
    description text,
    details jsonb not null default '{}',
    labels jsonb not null default '{}',
    group_key text,
    links jsonb not null default '[]',
    images jsonb not null default '[]',
    client text,
    client_url text,
    suppressed_by jsonb,
    count integer not null default 1,
    started_at timestamptz not null,
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    updated_at timestamptz not null,
    acknowledged_at timestamptz,
    resolved_at timestamptz
  )`,
    // The database, not the code, guarantees one open alert per (service, dedup key).
    `create unique index alerts_open_dedup_key on alerts (service_id, dedup_key) where status <> 'resolved'`,
    `create index alerts_created_idx on alerts (created_at desc, id desc)`,
    `create index alerts_status_created_idx on alerts (status, created_at desc, id desc)`,
    `create index alerts_service_created_idx on alerts (service_id, created_at desc, id desc)`,
    `create index alerts_incident_idx on alerts (incident_id)`,
    `create table alert_events (
    id bigint generated always as identity primary key,
    at timestamptz not null,
    alert_id uuid references alerts (id) on delete cascade,
    service_id uuid references services (id) on delete cascade,
    sender text not null,
    action text not null,
    decision text not null check (decision in ('created', 'deduplicated', 'acknowledged', 'resolved', 'ignored', 'suppressed', 'dropped')),
    reason text not null,
    dedup_key text,
    actor_name text,
    request_id text,
    payload jsonb
  )`,
    `create index alert_events_alert_idx on alert_events (alert_id, id)`,
    `create index alert_events_service_idx on alert_events (service_id, id)`,
    `create index alert_events_request_idx on alert_events (request_id) where request_id is not null`,
    `create table change_events (
    id uuid primary key default gen_random_uuid(),
    service_id uuid not null references services (id) on delete cascade,
    summary text not null,
    source text,
    happened_at timestamptz not null,
    received_at timestamptz not null,
    details jsonb not null default '{}',
    links jsonb not null default '[]'
  )`,
    `create index change_events_service_idx on change_events (service_id, happened_at desc)`,
    `create index change_events_at_idx on change_events (happened_at desc)`,
    `create table maintenance_windows (
    id uuid primary key default gen_random_uuid(),
    service_id uuid not null references services (id) on delete cascade,
    description text not null,
    starts_at timestamptz not null,
    ends_at timestamptz not null check (ends_at > starts_at),
    created_by text not null,
    created_at timestamptz not null
  )`,
    `create index maintenance_windows_service_idx on maintenance_windows (service_id, ends_at)`,
    `create table silences (
    id uuid primary key default gen_random_uuid(),
    service_id uuid references services (id) on delete cascade,
    matchers jsonb not null,
    comment text not null,
    starts_at timestamptz not null,
    ends_at timestamptz not null check (ends_at > starts_at),
    created_by text not null,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
    `create index silences_ends_idx on silences (ends_at)`,
    `create table event_rules (
    id uuid primary key default gen_random_uuid(),
    service_id uuid references services (id) on delete cascade,
    name text not null,
    position integer not null,
    matchers jsonb not null,
    actions jsonb not null,
    enabled boolean not null default true,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
    `create index event_rules_service_idx on event_rules (service_id, position)`,
    `create table heartbeats (
    id uuid primary key default gen_random_uuid(),
    service_id uuid not null references services (id) on delete cascade,
    name text not null,
    key text not null,
    interval_seconds integer not null check (interval_seconds between 30 and 604800),
    status text not null check (status in ('pending', 'up', 'down')),
    last_ping_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
    `create unique index heartbeats_key_key on heartbeats (key)`,
    `create unique index heartbeats_service_name_key on heartbeats (service_id, lower(name))`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    'drop table heartbeats',
    'drop table event_rules',
    'drop table silences',
    'drop table maintenance_windows',
    'drop table change_events',
    'drop table alert_events',
    'drop table alerts',
    'drop table incidents',
    'alter table services drop column urgency_rule',
    'alter table services drop column alert_grouping',
  ]);
}
