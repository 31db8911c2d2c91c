import { authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { findWebhook, listDeliveryRows } from './store.ts';
import type { Delivery } from './webhook.ts';

/** A subscription's delivery log, newest first, keyset-paged (pass `nextCursor` back as `cursor`). Admins. */
export async function listDeliveries(ctx: Ctx, webhookId: string, query: { cursor?: string | undefined; limit?: number | undefined } = {}): Promise<{ deliveries: Delivery[]; nextCursor: string | null }> {
  authorize(ctx.actor, 'admin');
  if (query.cursor !== undefined && !/^\d{1,18}$/.test(query.cursor)) throw validationError([{ field: 'query.cursor', reason: 'is not a cursor this list returned' }]);
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  if (!(await findWebhook(ctx.db, webhookId))) throw notFound('webhook', webhookId);
  const rows = await listDeliveryRows(ctx.db, webhookId, limit, query.cursor ?? null);
  const page = rows.slice(0, limit);
  return { deliveries: page.map((r) => r.delivery), nextCursor: rows.length > limit ? page[page.length - 1]!.seq : null };
}
