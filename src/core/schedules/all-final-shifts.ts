import type { Tx } from '../shared/context.ts';
import { loadSchedules } from './load-schedule.ts';
import { type FinalShift, finalSchedule } from './schedule-math.ts';
import { listSchedules } from './store.ts';

/** Every schedule's final shifts over [from, to), for the engine's own reads (no actor). */
export async function allFinalShifts(tx: Tx, from: Date, to: Date): Promise<{ schedule: { id: string; name: string; timeZone: string }; shifts: FinalShift[] }[]> {
  const records = await listSchedules(tx);
  const schedules = await loadSchedules(tx, records, from, to);
  return records.map((r) => ({ schedule: { id: r.id, name: r.name, timeZone: r.timeZone }, shifts: finalSchedule(schedules.get(r.id)!, from, to).shifts }));
}
