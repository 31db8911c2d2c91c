import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// Escalation policies (core/escalation): ordered levels as JSON in the shape of the rules' Level[]
// (validated by the verbs, targets checked to exist when written), and the policy each service
// pages through. Deleting a policy a service uses is refused by the verb (CONFLICT); the foreign
// key's `set null` only guards writes that bypass it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table escalation_policies (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    description text not null default '',
    team_id uuid references teams (id) on delete set null,
    repeat integer not null default 0 check (repeat between 0 and 9),
    levels jsonb not null check (jsonb_typeof(levels) = 'array' and jsonb_array_length(levels) between 1 and 20),
    version integer not null default 1,
    created_at timestamptz not null,
    updated_at timestamptz not null
  )`,
    `create unique index escalation_policies_name_key on escalation_policies (lower(name))`,
    `alter table services add column escalation_policy_id uuid references escalation_policies (id) on delete set null`,
    `create index services_escalation_policy_idx on services (escalation_policy_id) where escalation_policy_id is not null`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, ['alter table services drop column escalation_policy_id', 'drop table escalation_policies']);
}
