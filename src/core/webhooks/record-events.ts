import { scheduleJobs } from '../../engine/index.ts';
import type { Tx } from '../shared/context.ts';
import { insertEventDeliveries } from './store.ts';
import type { EventType } from './webhook.ts';

export const WEBHOOK_DELIVER = 'webhook.deliver';
export const deliveryKey = (deliveryId: string) => `webhook:${deliveryId}`;
export interface WebhookDeliverPayload {
  deliveryId: string;
}

export interface IncidentEvent {
  type: EventType;
  incidentId: string;
  /** Event-specific details (`incident.escalated`: level, pass, userIds). */
  data?: Record<string, unknown>;
}

/**
 * Records incident events in the caller's business transaction, so a webhook is sent exactly when
 * the change commits: one statement writes the events and a delivery row per matching enabled
 * subscription, one bulk schedule queues a `webhook.deliver` per delivery. Set-based whatever the
 * batch size; an event nobody subscribed to writes nothing.
 */
export async function recordIncidentEvents(tx: Tx, now: Date, events: readonly IncidentEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const ids = await insertEventDeliveries(tx, now, events.map((e) => ({ type: e.type, incidentId: e.incidentId, data: e.data ?? {} })));
  await scheduleDeliveries(tx, now, ids);
  return ids.length;
}

export async function scheduleDeliveries(tx: Tx, now: Date, deliveryIds: readonly string[]): Promise<void> {
  await scheduleJobs(
    tx,
    deliveryIds.map((deliveryId) => ({
      kind: WEBHOOK_DELIVER,
      key: deliveryKey(deliveryId),
      runAt: now,
      payload: { deliveryId } satisfies WebhookDeliverPayload,
      // Our own retry schedule lives in the delivery row; these cover only crashed runs.
      maxAttempts: 3,
      now,
    })),
  );
}
