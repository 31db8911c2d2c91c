import { authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { defaultRange } from './records.ts';
import { findSchedule, findTemporaries } from './store.ts';
import { type TemporaryView, temporaryViews } from './views.ts';

/** A schedule's temporary schedules overlapping [from, to) (default: from now, for 14 days), by start. */
export async function listTemporarySchedules(ctx: Ctx, scheduleId: string, from?: string, to?: string): Promise<TemporaryView[]> {
  authorize(ctx.actor, 'read');
  const range = defaultRange(from, to, ctx.clock.now());
  if (Array.isArray(range)) throw validationError(range);
  if (!(await findSchedule(ctx.db, scheduleId))) throw notFound('schedule', scheduleId);
  return temporaryViews(ctx.db, await findTemporaries(ctx.db, [scheduleId], range.from, range.to));
}
