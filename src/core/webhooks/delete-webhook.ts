import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { deleteWebhookRow, lockWebhook } from './store.ts';

/** Removes a subscription with its delivery log; a delivery job that runs anyway finds nothing to send. */
export async function deleteWebhook(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await lockWebhook(tx, id))) throw notFound('webhook', id);
    await deleteWebhookRow(tx, id);
    await writeAudit(tx, ctx, { action: 'webhook.delete', entityType: 'webhook', entityId: id });
  });
}
