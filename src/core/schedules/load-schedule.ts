import type { Tx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { assembleSchedule, type ScheduleRecord } from './records.ts';
import type { Schedule } from './schedule.ts';
import { findLayerVersions, findOverrides, findSchedule, findTemporaries } from './store.ts';

/**
 * The calculator's Schedules for stored schedules over [from, to): the layer definitions in force
 * in the range (each clipped to its time), and only the overrides and temporary schedules that
 * overlap it. Preview, API and paging all compute from this one assembly. Three queries whatever
 * the number of schedules.
 */
export async function loadSchedules(tx: Tx, schedules: ScheduleRecord[], from: Date, to: Date): Promise<Map<string, Schedule>> {
  const ids = schedules.map((s) => s.id);
  // One after another: a transaction is one connection.
  const versions = await findLayerVersions(tx, schedules, from, to);
  const overrides = await findOverrides(tx, ids, from, to);
  const temporaries = await findTemporaries(tx, ids, from, to);
  return new Map(
    schedules.map((s) => [
      s.id,
      assembleSchedule(
        s.timeZone,
        versions.get(s.id) ?? [],
        overrides.filter((o) => o.scheduleId === s.id),
        temporaries.filter((t) => t.scheduleId === s.id),
      ),
    ]),
  );
}

/** One schedule's calculator input over [from, to); NOT_FOUND when there is no such schedule. */
export async function loadSchedule(tx: Tx, id: string, from: Date, to: Date): Promise<{ record: ScheduleRecord; schedule: Schedule }> {
  const record = await findSchedule(tx, id);
  if (!record) throw notFound('schedule', id);
  const schedule = (await loadSchedules(tx, [record], from, to)).get(id)!;
  return { record, schedule };
}
