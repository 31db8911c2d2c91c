import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables; kept in step with src/storage/migrations by hand. */
export interface DB {
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  services: ServicesTable;
  integration_keys: IntegrationKeysTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  engine_modules: EngineModulesTable;
}

export type Role = 'admin' | 'responder' | 'observer';
export type TokenScope = 'read' | 'write' | 'admin';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  time_zone: Generated<string>;
  role: Role;
  password_hash: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface TeamsTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  created_at: Date;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  scope: TokenScope;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface ServicesTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  team_id: string | null;
  runbook_url: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface IntegrationKeysTable {
  id: Generated<string>;
  service_id: string;
  key: string;
  name: string;
  created_at: Date;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Date;
  actor_type: 'user' | 'token' | 'system';
  actor_id: string | null;
  actor_name: string | null;
  /** The API token used, when the actor acted through one. */
  token_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  request_id: string | null;
}

/** A pending, running or failed engine job (src/engine). Success deletes the row. */
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  key: string | null;
  payload: ColumnType<unknown, string | undefined, string>;
  run_at: Date;
  priority: Generated<number>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  /** Bumped when a pending job is rescheduled, so a run that started earlier does not delete it. */
  revision: Generated<number>;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  failed_at: Date | null;
  created_at: Date;
}

/** The newest handler-family version any node has registered (goalert's processing lock). */
export interface EngineModulesTable {
  name: string;
  version: number;
  updated_at: Date;
}
