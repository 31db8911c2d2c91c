import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.ts';

/**
 * What became of the event sent with `requestId` to a service (Opsgenie's request status call):
 * the newest log entry for it, or undefined when there is none (yet).
 */
export const findRequestOutcome = (db: Kysely<DB>, serviceId: string, requestId: string) =>
  db
    .selectFrom('alert_events')
    .select(['at', 'action', 'decision', 'reason', 'alert_id', 'dedup_key'])
    .where('request_id', '=', requestId)
    .where('service_id', '=', serviceId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
