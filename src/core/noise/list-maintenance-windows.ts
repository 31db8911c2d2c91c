import { authorize, type Ctx } from '../shared/context.ts';
import type { MaintenanceWindow, WindowState } from './noise.ts';
import { listWindows } from './store.ts';

export interface WindowQuery {
  serviceId?: string | undefined;
  state?: WindowState | undefined;
  limit?: number | undefined;
}

/** Windows of one service or all; active and upcoming soonest first, then past ones latest first. */
export async function listMaintenanceWindows(ctx: Ctx, query: WindowQuery): Promise<MaintenanceWindow[]> {
  authorize(ctx.actor, 'read');
  return listWindows(ctx.db, { serviceId: query.serviceId, state: query.state, limit: Math.min(Math.max(query.limit ?? 100, 1), 500) }, ctx.clock.now());
}
