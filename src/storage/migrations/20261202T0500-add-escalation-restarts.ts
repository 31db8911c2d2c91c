import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// Escalations that start again: after an acknowledgement times out (the policy's
// ack_timeout_minutes) or when a person reassigns the incident. `restarts` counts them on the
// escalation and `restart` names the one a notification belongs to, so the pages of a restart get
// idempotency keys of their own. An alert put back to triggered is logged as `retriggered`.
// A page carried in another's message (bundled through a throttled method) names it in
// `bundled_into`; the index finds the last send through a method.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `alter table escalation_policies add column ack_timeout_minutes integer
      check (ack_timeout_minutes between 1 and 1440)`,
    `alter table escalations add column restarts integer not null default 0`,
    `alter table notifications add column restart integer not null default 0`,
    `alter table notifications add column bundled_into uuid references notifications (id) on delete set null`,
    `create index notifications_method_sent_idx on notifications (contact_method_id, sent_at)`,
    `alter table alert_events drop constraint alert_events_decision_check`,
    `alter table alert_events add constraint alert_events_decision_check
      check (decision in ('created', 'deduplicated', 'acknowledged', 'resolved', 'retriggered', 'ignored', 'suppressed', 'dropped'))`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `delete from alert_events where decision = 'retriggered'`,
    `alter table alert_events drop constraint alert_events_decision_check`,
    `alter table alert_events add constraint alert_events_decision_check
      check (decision in ('created', 'deduplicated', 'acknowledged', 'resolved', 'ignored', 'suppressed', 'dropped'))`,
    `drop index notifications_method_sent_idx`,
    `alter table notifications drop column bundled_into`,
    `alter table notifications drop column restart`,
    `alter table escalations drop column restarts`,
    `alter table escalation_policies drop column ack_timeout_minutes`,
  ]);
}
