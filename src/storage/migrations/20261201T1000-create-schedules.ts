import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// On-call schedules (core/schedules): the layer definition in the calculator's Layer shape, the
// definitions an edit replaced (so an edit applies from the moment it is made and never rewrites
// past shifts), overrides, temporary schedules and shift swaps. "Nobody" is a null user.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table schedules (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    description text not null default '',
    team_id uuid references teams (id) on delete set null,
    time_zone text not null,
    layers jsonb not null default '[]',
    layers_from timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
    `create unique index schedules_name_key on schedules (lower(name))`,
    // The layer definitions in force over [valid_from, valid_to); null valid_from: since creation.
    `create table schedule_layer_history (
    id uuid primary key default gen_random_uuid(),
    schedule_id uuid not null references schedules (id) on delete cascade,
    layers jsonb not null,
    valid_from timestamptz,
    valid_to timestamptz not null,
    created_at timestamptz not null
  )`,
    `create index schedule_layer_history_schedule_idx on schedule_layer_history (schedule_id, valid_to)`,
    `create table schedule_overrides (
    id uuid primary key default gen_random_uuid(),
    seq bigint generated always as identity,
    schedule_id uuid not null references schedules (id) on delete cascade,
    user_id uuid references users (id),
    replaces_user_id uuid references users (id),
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    note text not null default '',
    created_by uuid references users (id),
    created_at timestamptz not null,
    check (ends_at > starts_at),
    check (replaces_user_id is null or user_id is null or replaces_user_id <> user_id)
  )`,
    `create index schedule_overrides_range_idx on schedule_overrides (schedule_id, ends_at)`,
    `create table schedule_temporary (
    id uuid primary key default gen_random_uuid(),
    schedule_id uuid not null references schedules (id) on delete cascade,
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    shifts jsonb not null,
    note text not null default '',
    created_by uuid references users (id),
    created_at timestamptz not null,
    check (ends_at > starts_at)
  )`,
    `create index schedule_temporary_range_idx on schedule_temporary (schedule_id, ends_at)`,
    `create table shift_swaps (
    id uuid primary key default gen_random_uuid(),
    schedule_id uuid not null references schedules (id) on delete cascade,
    requester_id uuid not null references users (id),
    recipient_id uuid not null references users (id),
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    status text not null check (status in ('requested', 'accepted', 'declined', 'cancelled')),
    note text not null default '',
    override_id uuid references schedule_overrides (id) on delete set null,
    created_at timestamptz not null,
    decided_at timestamptz,
    check (ends_at > starts_at),
    check (recipient_id <> requester_id)
  )`,
    `create index shift_swaps_schedule_idx on shift_swaps (schedule_id, created_at)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    'drop table shift_swaps',
    'drop table schedule_temporary',
    'drop table schedule_overrides',
    'drop table schedule_layer_history',
    'drop table schedules',
  ]);
}
