import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { scheduleDeliveries } from './record-events.ts';
import { findDelivery, insertPing, lockWebhook } from './store.ts';
import type { Delivery } from './webhook.ts';

/** Queues a `vigil.ping` to this subscription alone (even a disabled one); the log shows how it went. */
export async function testWebhook(ctx: Ctx, webhookId: string): Promise<Delivery> {
  authorize(ctx.actor, 'admin');
  return ctx.db.transaction().execute(async (tx) => {
    if (!(await lockWebhook(tx, webhookId))) throw notFound('webhook', webhookId);
    const now = ctx.clock.now();
    const id = await insertPing(tx, now, webhookId);
    await scheduleDeliveries(tx, now, [id]);
    await writeAudit(tx, ctx, { action: 'webhook.test', entityType: 'webhook', entityId: webhookId, data: { deliveryId: id } });
    return (await findDelivery(tx, id))!;
  });
}
