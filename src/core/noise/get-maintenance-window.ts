import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { MaintenanceWindow } from './noise.ts';
import { findWindow } from './store.ts';

export async function getMaintenanceWindow(ctx: Ctx, id: string): Promise<MaintenanceWindow> {
  authorize(ctx.actor, 'read');
  const window = await findWindow(ctx.db, id, ctx.clock.now());
  if (!window) throw notFound('maintenance window', id);
  return window;
}
