import { authorize, type Ctx } from '../shared/context.ts';
import { loadSchedules } from './load-schedule.ts';
import { DAY_MS, GAP_HORIZON_DAYS } from './records.ts';
import { finalSchedule } from './schedule-math.ts';
import { listSchedules as selectSchedules } from './store.ts';
import { type ScheduleView, scheduleViews } from './views.ts';

export interface ScheduleSummary extends ScheduleView {
  /** Whether the next 14 days (from now) have any time with nobody on call. */
  hasGapsNext14Days: boolean;
}

/** Every schedule by name, each flagged when the next 14 days have a gap. */
export async function listSchedules(ctx: Ctx): Promise<ScheduleSummary[]> {
  authorize(ctx.actor, 'read');
  const now = ctx.clock.now();
  const to = new Date(now.getTime() + GAP_HORIZON_DAYS * DAY_MS);
  const records = await selectSchedules(ctx.db);
  const schedules = await loadSchedules(ctx.db, records, now, to);
  const views = await scheduleViews(ctx.db, records);
  return views.map((v) => ({ ...v, hasGapsNext14Days: finalSchedule(schedules.get(v.id)!, now, to).gaps.length > 0 }));
}
