import { authorize, can, type Ctx } from '../shared/context.ts';
import type { Heartbeat } from './heartbeat.ts';
import { listHeartbeats as selectHeartbeats } from './store.ts';

/** Heartbeats (of one service, when given). Keys are shown to responders and admins; observers see previews. */
export async function listHeartbeats(ctx: Ctx, filter: { serviceId?: string | undefined } = {}): Promise<Heartbeat[]> {
  authorize(ctx.actor, 'read');
  return selectHeartbeats(ctx.db, filter.serviceId, can(ctx.actor, 'write'));
}
