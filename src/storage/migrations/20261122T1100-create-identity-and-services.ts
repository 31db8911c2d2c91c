import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// Foundation: who may act (users, teams, sessions, API tokens), what they act on (services and
// their integration keys), and the append-only audit log every mutation writes in its transaction.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table users (
    id uuid primary key default gen_random_uuid(),
    email text not null,
    name text not null,
    time_zone text not null default 'UTC',
    role text not null check (role in ('admin', 'responder', 'observer')),
    password_hash text,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
    `create unique index users_email_key on users (lower(email))`,
    `create table teams (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    description text not null default '',
    created_at timestamptz not null
  )`,
    `create unique index teams_name_key on teams (lower(name))`,
    `create table team_members (
    team_id uuid not null references teams (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    primary key (team_id, user_id)
  )`,
    // Only a SHA-256 of each session and API token is stored: a database leak yields no credential.
    `create table sessions (
    token_hash text primary key,
    user_id uuid not null references users (id) on delete cascade,
    created_at timestamptz not null,
    expires_at timestamptz not null
  )`,
    `create index sessions_user_idx on sessions (user_id)`,
    `create table api_tokens (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users (id) on delete cascade,
    name text not null,
    token_hash text not null,
    token_prefix text not null,
    scope text not null check (scope in ('read', 'write', 'admin')),
    created_at timestamptz not null,
    expires_at timestamptz,
    last_used_at timestamptz,
    revoked_at timestamptz
  )`,
    `create unique index api_tokens_token_hash_key on api_tokens (token_hash)`,
    `create index api_tokens_user_idx on api_tokens (user_id)`,
    `create table services (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    description text not null default '',
    team_id uuid references teams (id) on delete restrict,
    runbook_url text,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
    `create unique index services_name_key on services (lower(name))`,
    `create table integration_keys (
    id uuid primary key default gen_random_uuid(),
    service_id uuid not null references services (id) on delete cascade,
    key text not null,
    name text not null,
    created_at timestamptz not null,
    revoked_at timestamptz
  )`,
    `create unique index integration_keys_key_key on integration_keys (key)`,
    `create index integration_keys_service_idx on integration_keys (service_id)`,
    `create table audit_log (
    id bigint generated always as identity primary key,
    at timestamptz not null,
    actor_type text not null check (actor_type in ('user', 'token', 'system')),
    actor_id text,
    actor_name text,
    token_id uuid,
    action text not null,
    entity_type text not null,
    entity_id text,
    data jsonb not null default '{}',
    request_id text
  )`,
    `create index audit_log_entity_idx on audit_log (entity_type, entity_id)`,
    `create index audit_log_at_idx on audit_log (at)`,
    // Append-only: the audit log can be read and added to, never rewritten.
    `create function audit_log_immutable() returns trigger language plpgsql as $$
  begin
    raise exception 'audit_log is append-only' using errcode = '42501';
  end $$`,
    `create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_immutable()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    'drop table audit_log',
    'drop function audit_log_immutable()',
    'drop table integration_keys',
    'drop table services',
    'drop table api_tokens',
    'drop table sessions',
    'drop table team_members',
    'drop table teams',
    'drop table users',
  ]);
}
