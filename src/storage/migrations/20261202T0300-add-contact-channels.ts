import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// Contact methods on Slack (a member or channel id through the bot, or an incoming webhook),
// Microsoft Teams (an incoming webhook), SMS and voice (E.164 numbers through a Twilio-compatible
// provider).
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `alter table contact_methods drop constraint contact_methods_type_check`,
    `alter table contact_methods add constraint contact_methods_type_check
    check (type in ('email', 'webhook', 'slack', 'slack_webhook', 'teams', 'sms', 'voice'))`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `delete from contact_methods where type not in ('email', 'webhook')`,
    `alter table contact_methods drop constraint contact_methods_type_check`,
    `alter table contact_methods add constraint contact_methods_type_check check (type in ('email', 'webhook'))`,
  ]);
}
