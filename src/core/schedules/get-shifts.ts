import { authorize, type Ctx } from '../shared/context.ts';
import { validationError } from '../shared/errors.ts';
import { loadSchedule } from './load-schedule.ts';
import { checkRange, type ShiftsView } from './records.ts';
import { finalSchedule } from './schedule-math.ts';
import { shiftsView } from './views.ts';

/** The final shifts of [from, to) (at most 366 days), with gaps and coverage. */
export async function getShifts(ctx: Ctx, scheduleId: string, from: string, to: string): Promise<ShiftsView> {
  authorize(ctx.actor, 'read');
  const range = checkRange(from, to);
  if (Array.isArray(range)) throw validationError(range);
  const { schedule } = await loadSchedule(ctx.db, scheduleId, range.from, range.to);
  return shiftsView(ctx.db, scheduleId, range.from, range.to, finalSchedule(schedule, range.from, range.to));
}
