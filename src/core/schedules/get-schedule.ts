import { authorize, type Ctx, type Tx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { loadSchedules } from './load-schedule.ts';
import { DAY_MS, GAP_HORIZON_DAYS, type ScheduleRecord } from './records.ts';
import { finalSchedule, type Gap } from './schedule-math.ts';
import { findSchedule } from './store.ts';
import { type ScheduleView, scheduleViews } from './views.ts';

export interface ScheduleDetail extends ScheduleView {
  /** Stretches of the next 14 days (from now) with nobody on call. */
  gaps: Gap[];
  /** The share of the next 14 days with someone on call, 0..1. */
  coverage: number;
  horizon: { from: string; to: string };
}

export async function scheduleDetail(tx: Tx, record: ScheduleRecord, now: Date): Promise<ScheduleDetail> {
  const to = new Date(now.getTime() + GAP_HORIZON_DAYS * DAY_MS);
  const schedule = (await loadSchedules(tx, [record], now, to)).get(record.id)!;
  const { gaps, coverage } = finalSchedule(schedule, now, to);
  const [view] = await scheduleViews(tx, [record]);
  return { ...view!, gaps, coverage, horizon: { from: now.toISOString(), to: to.toISOString() } };
}

/** A schedule with its layers, and its gaps and coverage over the next 14 days. */
export async function getSchedule(ctx: Ctx, id: string): Promise<ScheduleDetail> {
  authorize(ctx.actor, 'read');
  const record = await findSchedule(ctx.db, id);
  if (!record) throw notFound('schedule', id);
  return scheduleDetail(ctx.db, record, ctx.clock.now());
}
