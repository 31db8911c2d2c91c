import { authorize, type Ctx } from '../shared/context.ts';
import { loadSchedules } from './load-schedule.ts';
import type { UserRef } from './records.ts';
import { finalSchedule } from './schedule-math.ts';
import { listSchedules, userRefs } from './store.ts';

export interface OnCallPerson {
  user: UserRef;
  /** When their first shift in the range starts (the range's start when they are on call at it). */
  from: string;
  schedules: { id: string; name: string }[];
}

/** Everyone with a shift in [from, to) on any schedule, soonest first. */
export async function listOnCallPeople(ctx: Ctx, from: Date, to: Date): Promise<OnCallPerson[]> {
  authorize(ctx.actor, 'read');
  const records = await listSchedules(ctx.db);
  const schedules = await loadSchedules(ctx.db, records, from, to);
  const people = new Map<string, { from: string; schedules: { id: string; name: string }[] }>();
  for (const r of records) {
    for (const shift of finalSchedule(schedules.get(r.id)!, from, to).shifts) {
      const p = people.get(shift.userId) ?? { from: shift.start, schedules: [] };
      if (shift.start < p.from) p.from = shift.start;
      if (!p.schedules.some((s) => s.id === r.id)) p.schedules.push({ id: r.id, name: r.name });
      people.set(shift.userId, p);
    }
  }
  const users = await userRefs(ctx.db, people.keys());
  return [...people]
    .map(([id, p]) => ({ user: users.get(id) ?? { id, name: '(unknown user)' }, ...p }))
    .sort((a, b) => a.from.localeCompare(b.from) || a.user.name.localeCompare(b.user.name));
}
