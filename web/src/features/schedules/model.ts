// The schedule form's values and their translation to the calculator's data and the API's body.
// The live preview runs the same pure calculator the server pages with (src/core/schedules).
import { checkSchedule, ROTATION_UNITS } from '../../../../src/core/schedules/schedule.ts';
import type { Layer, Restriction, RotationUnit, Schedule } from '../../../../src/core/schedules/schedule.ts';
import { finalSchedule } from '../../../../src/core/schedules/schedule-math.ts';
import type { FinalSchedule } from '../../../../src/core/schedules/schedule-math.ts';
import type { LayerInput, ScheduleDetail, ScheduleInput } from './api.ts';

export { ROTATION_UNITS };

export interface RestrictionValues {
  kind: 'daily' | 'weekly';
  startDay: string;
  start: string;
  endDay: string;
  end: string;
}

export interface LayerValues {
  /** React's key for the row; stays with the layer when it is moved. */
  key: string;
  /** The stored layer's id and effective range, kept on edit; absent for a new layer. */
  id?: string;
  start?: string;
  end?: string;
  name: string;
  participants: string[];
  unit: RotationUnit;
  length: string;
  handoffDate: string;
  handoffTime: string;
  /** '' = the schedule's zone. */
  handoffZone: string;
  restrictions: RestrictionValues[];
}

export interface ScheduleValues {
  name: string;
  description: string;
  teamId: string;
  timeZone: string;
  layers: LayerValues[];
}

let keySeq = 0;
export const newKey = () => `k${++keySeq}`;

export function newLayer(index: number, date: string): LayerValues {
  return {
    key: newKey(),
    name: `Layer ${index + 1}`,
    participants: [],
    unit: 'week',
    length: '1',
    handoffDate: date,
    handoffTime: '09:00',
    handoffZone: '',
    restrictions: [],
  };
}

export const newRestriction = (): RestrictionValues => ({ kind: 'daily', startDay: '1', start: '09:00', endDay: '5', end: '17:00' });

export function valuesOf(schedule: ScheduleDetail): ScheduleValues {
  return {
    name: schedule.name,
    description: schedule.description,
    teamId: schedule.teamId ?? '',
    timeZone: schedule.timeZone,
    layers: schedule.layers.map((l) => ({
      key: newKey(),
      id: l.id,
      start: l.start,
      ...(l.end !== undefined ? { end: l.end } : {}),
      name: l.name,
      participants: [...l.participants],
      unit: l.rotation.unit,
      length: String(l.rotation.length),
      handoffDate: l.handoff.date,
      handoffTime: l.handoff.time,
      handoffZone: l.handoff.timeZone ?? '',
      restrictions: (l.restrictions ?? []).map((r) =>
        r.kind === 'daily'
          ? { kind: 'daily', startDay: '1', start: r.start, endDay: '5', end: r.end }
          : { kind: 'weekly', startDay: String(r.startDay), start: r.start, endDay: String(r.endDay), end: r.end },
      ),
    })),
  };
}

/** Number("") is 0 and Number("1.5") is 1.5: both are kept so that validation names them. */
const toNumber = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

function restrictionOf(r: RestrictionValues): Restriction {
  return r.kind === 'daily'
    ? { kind: 'daily', start: r.start, end: r.end }
    : { kind: 'weekly', startDay: Number(r.startDay), start: r.start, endDay: Number(r.endDay), end: r.end };
}

/** Ids for new layers that no other layer in the list uses. */
export function layerIds(layers: readonly LayerValues[]): string[] {
  const used = new Set(layers.map((l) => l.id).filter((id): id is string => Boolean(id)));
  let n = 1;
  return layers.map((l) => {
    if (l.id) return l.id;
    while (used.has(`layer-${n}`)) n++;
    used.add(`layer-${n}`);
    return `layer-${n}`;
  });
}

function layerBody(l: LayerValues, id: string): LayerInput {
  const layer: LayerInput = {
    id,
    name: l.name.trim(),
    participants: l.participants,
    rotation: { unit: l.unit, length: toNumber(l.length) },
    handoff: { date: l.handoffDate, time: l.handoffTime, ...(l.handoffZone ? { timeZone: l.handoffZone } : {}) },
    restrictions: l.restrictions.map(restrictionOf),
  };
  if (l.start) layer.start = l.start;
  if (l.end) layer.end = l.end;
  return layer;
}

/** The API body; new layers start when the server saves them. */
export function toInput(values: ScheduleValues, forUpdate: boolean): ScheduleInput {
  const ids = layerIds(values.layers);
  return {
    name: values.name.trim(),
    description: values.description.trim(),
    ...(values.teamId ? { teamId: values.teamId } : forUpdate ? { teamId: null } : {}),
    timeZone: values.timeZone,
    layers: values.layers.map((l, i) => layerBody(l, ids[i]!)),
  };
}

/** The calculator's schedule for the form as it stands; new layers take effect at `now`. */
export function toSchedule(values: ScheduleValues, now: Date): Schedule {
  const ids = layerIds(values.layers);
  return {
    timeZone: values.timeZone,
    layers: values.layers.map((l, i) => ({ ...layerBody(l, ids[i]!), start: l.start ?? now.toISOString() }) as Layer),
  };
}

/** Problems with the form, keyed like the API's field names ("layers.0.rotation.length"). */
export function checkValues(values: ScheduleValues, now: Date): Record<string, string> {
  const errors: Record<string, string> = {};
  const add = (field: string, reason: string) => {
    errors[field] = errors[field] ? `${errors[field]}; ${reason}` : reason;
  };
  if (!values.name.trim()) add('name', 'Enter a name.');
  for (const p of checkSchedule(toSchedule(values, now), 'schedule')) add(p.field.replace(/^schedule\./, ''), p.reason);
  return errors;
}

export interface Preview {
  from: string;
  to: string;
  result: FinalSchedule;
}

/** The final schedule of the form's layers over the next `days` days, or null when it is invalid. */
export function preview(values: ScheduleValues, now: Date, days: number): Preview | null {
  const schedule = toSchedule(values, now);
  if (checkSchedule(schedule).length > 0) return null;
  const to = new Date(now.getTime() + days * 86_400_000);
  try {
    return { from: now.toISOString(), to: to.toISOString(), result: finalSchedule(schedule, now, to) };
  } catch {
    return null;
  }
}
