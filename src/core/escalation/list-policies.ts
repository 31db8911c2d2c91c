import { authorize, type Ctx } from '../shared/context.ts';
import { listPolicies as selectPolicies } from './store.ts';
import { type PolicyView, policyViews } from './views.ts';

/** Every policy by name, with the services that use it. */
export async function listPolicies(ctx: Ctx): Promise<PolicyView[]> {
  authorize(ctx.actor, 'read');
  return policyViews(ctx.db, await selectPolicies(ctx.db));
}
