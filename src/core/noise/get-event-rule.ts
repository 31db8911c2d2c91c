import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { EventRuleView } from './noise.ts';
import { findRule } from './store.ts';

export async function getEventRule(ctx: Ctx, id: string): Promise<EventRuleView> {
  authorize(ctx.actor, 'read');
  const rule = await findRule(ctx.db, id);
  if (!rule) throw notFound('event rule', id);
  return rule;
}
