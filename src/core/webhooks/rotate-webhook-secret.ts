import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { findWebhook, lockWebhook, rotateSecretRow } from './store.ts';
import { newSecret, PREVIOUS_SECRET_MS, type Webhook } from './webhook.ts';

/**
 * A new signing secret, returned this once. For the next 24 hours deliveries carry a second `v1`
 * signature made with the old secret, so a receiver can switch without dropping any.
 */
export async function rotateWebhookSecret(ctx: Ctx, id: string): Promise<{ webhook: Webhook; secret: string }> {
  authorize(ctx.actor, 'admin');
  const secret = newSecret();
  return ctx.db.transaction().execute(async (tx) => {
    if (!(await lockWebhook(tx, id))) throw notFound('webhook', id);
    const now = ctx.clock.now();
    await rotateSecretRow(tx, id, now, secret, new Date(now.getTime() + PREVIOUS_SECRET_MS));
    await writeAudit(tx, ctx, { action: 'webhook.rotate_secret', entityType: 'webhook', entityId: id });
    return { webhook: (await findWebhook(tx, id))!, secret };
  });
}
