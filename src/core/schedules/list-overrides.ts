import { authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { defaultRange } from './records.ts';
import { findOverrides, findSchedule } from './store.ts';
import { type OverrideView, overrideViews } from './views.ts';

/** A schedule's overrides overlapping [from, to) (default: from now, for 14 days), in the order they apply. */
export async function listOverrides(ctx: Ctx, scheduleId: string, from?: string, to?: string): Promise<OverrideView[]> {
  authorize(ctx.actor, 'read');
  const range = defaultRange(from, to, ctx.clock.now());
  if (Array.isArray(range)) throw validationError(range);
  if (!(await findSchedule(ctx.db, scheduleId))) throw notFound('schedule', scheduleId);
  return overrideViews(ctx.db, await findOverrides(ctx.db, [scheduleId], range.from, range.to));
}
