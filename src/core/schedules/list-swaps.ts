import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { SwapStatus } from './records.ts';
import { findSchedule, listSwaps as selectSwaps } from './store.ts';
import { type SwapView, swapViews } from './views.ts';

/** A schedule's swap requests, newest first; only those in `status` when given. */
export async function listSwaps(ctx: Ctx, scheduleId: string, status?: SwapStatus): Promise<SwapView[]> {
  authorize(ctx.actor, 'read');
  if (!(await findSchedule(ctx.db, scheduleId))) throw notFound('schedule', scheduleId);
  return swapViews(ctx.db, await selectSwaps(ctx.db, scheduleId, status));
}
