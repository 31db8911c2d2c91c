import { authorize, type Ctx } from '../shared/context.ts';
import type { EventRuleView } from './noise.ts';
import { listRules } from './store.ts';

/** Every rule (global ones first, then per service), or one service's rules, in evaluation order. */
export async function listEventRules(ctx: Ctx, query: { serviceId?: string | undefined }): Promise<EventRuleView[]> {
  authorize(ctx.actor, 'read');
  return listRules(ctx.db, query.serviceId);
}
