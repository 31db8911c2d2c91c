import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { findPolicy } from './store.ts';
import { type PolicyView, policyView } from './views.ts';

export async function getPolicy(ctx: Ctx, id: string): Promise<PolicyView> {
  authorize(ctx.actor, 'read');
  const policy = await findPolicy(ctx.db, id);
  if (!policy) throw notFound('escalation policy', id);
  return policyView(ctx.db, policy);
}
