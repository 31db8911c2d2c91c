import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { findWebhook } from './store.ts';
import type { Webhook } from './webhook.ts';

/** One subscription, without its secret (admins). */
export async function getWebhook(ctx: Ctx, id: string): Promise<Webhook> {
  authorize(ctx.actor, 'admin');
  const webhook = await findWebhook(ctx.db, id);
  if (!webhook) throw notFound('webhook', id);
  return webhook;
}
