import { authorize, type Ctx } from '../shared/context.ts';
import { validationError } from '../shared/errors.ts';
import { loadSchedule } from './load-schedule.ts';
import type { OnCallView } from './records.ts';
import { onCallAt } from './schedule-math.ts';
import { parseInstant } from './schedule.ts';
import { onCallViews } from './views.ts';

export interface ScheduleOnCall {
  scheduleId: string;
  at: string;
  onCall: OnCallView[];
}

/** Who is on call at `at` (default: now). The same calculation as shifts, over one millisecond. */
export async function getOnCall(ctx: Ctx, scheduleId: string, at?: string): Promise<ScheduleOnCall> {
  authorize(ctx.actor, 'read');
  const instant = instantOr(at, ctx.clock.now());
  const { schedule } = await loadSchedule(ctx.db, scheduleId, instant, new Date(instant.getTime() + 1));
  return { scheduleId, at: instant.toISOString(), onCall: await onCallViews(ctx.db, onCallAt(schedule, instant)) };
}

/** `at` as a Date, or `fallback` when absent; VALIDATION naming `query.at` when unreadable. */
export function instantOr(at: string | undefined, fallback: Date): Date {
  if (at === undefined) return fallback;
  const ms = parseInstant(at);
  if (ms === null) throw validationError([{ field: 'query.at', reason: 'must be an ISO 8601 instant with an offset' }]);
  return new Date(ms);
}
