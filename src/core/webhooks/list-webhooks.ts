import { authorize, type Ctx } from '../shared/context.ts';
import { listWebhookRows } from './store.ts';
import type { Webhook } from './webhook.ts';

/** Every subscription, oldest first, never with its secret. Admins only: URLs can carry tokens. */
export async function listWebhooks(ctx: Ctx): Promise<Webhook[]> {
  authorize(ctx.actor, 'admin');
  return listWebhookRows(ctx.db);
}
