import { authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { loadSchedules } from './load-schedule.ts';
import { checkRange, type UserRef } from './records.ts';
import { finalSchedule } from './schedule-math.ts';
import { listSchedules, userRefs } from './store.ts';

export interface UserShift {
  schedule: { id: string; name: string; timeZone: string };
  start: string;
  end: string;
}

/**
 * One person's final shifts across every schedule over [from, to) (at most 366 days), by start.
 * Pieces of one schedule that touch (a layer shift running into an override of the same person,
 * say) are one shift here: what matters to them is when they are on call, not why.
 */
export async function getUserShifts(ctx: Ctx, userId: string, from: string, to: string): Promise<{ user: UserRef; shifts: UserShift[] }> {
  authorize(ctx.actor, 'read');
  const range = checkRange(from, to);
  if (Array.isArray(range)) throw validationError(range);
  const user = (await userRefs(ctx.db, [userId])).get(userId);
  if (!user) throw notFound('user', userId);
  const records = await listSchedules(ctx.db);
  const schedules = await loadSchedules(ctx.db, records, range.from, range.to);
  const shifts: UserShift[] = [];
  for (const r of records) {
    const mine = finalSchedule(schedules.get(r.id)!, range.from, range.to)
      .shifts.filter((s) => s.userId === userId)
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    let last: UserShift | undefined;
    for (const s of mine) {
      if (last && Date.parse(last.end) >= Date.parse(s.start)) {
        if (Date.parse(s.end) > Date.parse(last.end)) last.end = s.end;
        continue;
      }
      last = { schedule: { id: r.id, name: r.name, timeZone: r.timeZone }, start: s.start, end: s.end };
      shifts.push(last);
    }
  }
  shifts.sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || (a.schedule.name < b.schedule.name ? -1 : 1));
  return { user, shifts };
}
