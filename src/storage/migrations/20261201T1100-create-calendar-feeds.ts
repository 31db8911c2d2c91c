import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// iCalendar feeds of on-call shifts (core/schedules, docs/schedules.md "Calendar feeds"). The token
// in the feed's URL is the credential, so only its SHA-256 is kept, as for API tokens. A feed shows
// one schedule (schedule_id) or its owner's own shifts across schedules (schedule_id null).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `create table calendar_feeds (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users (id) on delete cascade,
    schedule_id uuid references schedules (id) on delete cascade,
    token_hash text not null,
    token_prefix text not null,
    created_at timestamptz not null,
    revoked_at timestamptz
  )`,
    `create unique index calendar_feeds_token_hash_key on calendar_feeds (token_hash)`,
    `create index calendar_feeds_user_idx on calendar_feeds (user_id, created_at)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, ['drop table calendar_feeds']);
}
