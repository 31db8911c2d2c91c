import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { scheduleDeliveries } from './record-events.ts';
import { findDelivery, insertRedelivery, lockWebhook } from './store.ts';
import type { Delivery } from './webhook.ts';

/**
 * Sends a delivery's event again as a new delivery (its own id and attempts, `redeliveryOf` the
 * original; same event id, so receivers that drop repeats drop it too), signed with the current secret.
 */
export async function redeliver(ctx: Ctx, webhookId: string, deliveryId: string): Promise<Delivery> {
  authorize(ctx.actor, 'admin');
  return ctx.db.transaction().execute(async (tx) => {
    if (!(await lockWebhook(tx, webhookId))) throw notFound('webhook', webhookId);
    const now = ctx.clock.now();
    const id = await insertRedelivery(tx, now, webhookId, deliveryId);
    if (!id) throw notFound('delivery', deliveryId);
    await scheduleDeliveries(tx, now, [id]);
    await writeAudit(tx, ctx, { action: 'webhook.redeliver', entityType: 'webhook', entityId: webhookId, data: { deliveryId, redelivery: id } });
    return (await findDelivery(tx, id))!;
  });
}
