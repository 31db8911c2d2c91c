import { authorize, type Ctx } from '../shared/context.ts';
import { instantOr } from './get-on-call.ts';
import { loadSchedules } from './load-schedule.ts';
import type { OnCallView } from './records.ts';
import { onCallAt } from './schedule-math.ts';
import { listSchedules } from './store.ts';
import { onCallViews } from './views.ts';

export interface EveryoneOnCall {
  at: string;
  /** Every schedule by name, with who is on call in it (an empty list: nobody). */
  schedules: { schedule: { id: string; name: string }; onCall: OnCallView[] }[];
}

/** Who is on call at `at` (default: now) in every schedule. */
export async function listOnCall(ctx: Ctx, at?: string): Promise<EveryoneOnCall> {
  authorize(ctx.actor, 'read');
  const instant = instantOr(at, ctx.clock.now());
  const records = await listSchedules(ctx.db);
  const schedules = await loadSchedules(ctx.db, records, instant, new Date(instant.getTime() + 1));
  const onCall = records.map((r) => ({ record: r, onCall: onCallAt(schedules.get(r.id)!, instant) }));
  const views = await onCallViews(ctx.db, onCall.flatMap((o) => o.onCall));
  let k = 0;
  return {
    at: instant.toISOString(),
    schedules: onCall.map((o) => ({ schedule: { id: o.record.id, name: o.record.name }, onCall: o.onCall.map(() => views[k++]!) })),
  };
}
