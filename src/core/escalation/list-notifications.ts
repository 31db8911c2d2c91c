import { authorize, type Ctx, type Tx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { EscalationStepLog, NotificationStatus } from '../../storage/schema.ts';
import type { PolicySnapshot } from './policy.ts';
import { findDeliveryLog } from './store.ts';

export interface DeliveryLog {
  incidentId: string;
  incidentNumber: number;
  /** null: the incident's service had no policy when it opened (nobody was paged). */
  escalation: {
    /** id null: reassigned to people, not to a policy. */
    policy: { id: string | null; name: string; version: number };
    level: number;
    pass: number;
    /** How often it started again (acknowledgement timed out, reassigned). */
    restarts: number;
    nextRunAt: Date | null;
    stoppedAt: Date | null;
    stopReason: string | null;
    startedAt: Date;
    /** Every step: when, the level that fired (null: paged nobody), who, and the levels skipped. */
    steps: EscalationStepLog[];
  } | null;
  notifications: {
    id: string;
    level: number;
    pass: number;
    /** The start of the escalation it belongs to (0: the first). */
    restart: number;
    user: { id: string; name: string } | null;
    /** The method's type and label, never its address; null for "unreachable" rows or a deleted method. */
    contactMethod: { id: string; type: string; label: string } | null;
    delayMinutes: number | null;
    status: NotificationStatus;
    attempts: number;
    lastError: string | null;
    createdAt: Date;
    sentAt: Date | null;
  }[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An incident's (by id or number) escalation state and delivery log, for every reader. */
export async function listNotifications(ctx: Ctx, ref: string): Promise<DeliveryLog> {
  authorize(ctx.actor, 'read');
  return deliveryLogOf(ctx.db, ref);
}

/** An incident ref (id, number or `#number`) as the store's lookup; NOT_FOUND for anything else. */
export function parseIncidentRef(ref: string): { id: string } | { number: number } {
  const m = /^#?(\d{1,15})$/.exec(ref);
  if (!m && !UUID.test(ref)) throw notFound('incident', ref);
  return m ? { number: Number(m[1]) } : { id: ref };
}

/** The delivery log read in `tx` (the caller has authorized). */
export async function deliveryLogOf(tx: Tx, ref: string): Promise<DeliveryLog> {
  const found = await findDeliveryLog(tx, parseIncidentRef(ref));
  if (!found) throw notFound('incident', ref);
  const e = found.escalation;
  const policy = e?.policy as PolicySnapshot | undefined;
  return {
    incidentId: found.incident.id,
    incidentNumber: found.incident.number,
    escalation:
      e && policy
        ? {
            policy: { id: policy.policyId, name: policy.name, version: policy.version },
            level: e.level,
            pass: e.pass,
            restarts: e.restarts,
            nextRunAt: e.next_run_at,
            stoppedAt: e.stopped_at,
            stopReason: e.stop_reason,
            startedAt: e.created_at,
            steps: e.steps,
          }
        : null,
    notifications: found.notifications.map((n) => ({
      id: n.id,
      level: n.level,
      pass: n.pass,
      restart: n.restart,
      user: n.user_id && n.user_name !== null ? { id: n.user_id, name: n.user_name } : null,
      contactMethod: n.contact_method_id && n.method_type && n.method_label !== null ? { id: n.contact_method_id, type: n.method_type, label: n.method_label } : null,
      delayMinutes: n.delay_minutes,
      status: n.status,
      attempts: n.attempts,
      lastError: n.last_error,
      createdAt: n.created_at,
      sentAt: n.sent_at,
    })),
  };
}
