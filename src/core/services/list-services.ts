import { authorize, can, type Ctx } from '../shared/context.ts';
import type { Service } from './service.ts';
import { listServices as selectServices } from './store.ts';

/** All services by name. Integration keys are shown to responders and admins; observers see previews. */
export async function listServices(ctx: Ctx): Promise<Service[]> {
  authorize(ctx.actor, 'read');
  return selectServices(ctx.db, can(ctx.actor, 'write'));
}
