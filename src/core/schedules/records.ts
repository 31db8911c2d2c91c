import type { FieldError } from '../shared/errors.ts';
import type { Gap, ShiftSource } from './schedule-math.ts';
import { checkSchedule, type Layer, MAX_NAME_LENGTH, parseInstant, type Schedule } from './schedule.ts';

/**
 * Rules for stored schedules (pure: no SQL, no clock). The store keeps the layer definition in
 * force now and the definitions earlier edits replaced; `layersInForce` turns those versions into
 * one layer list for the calculator, each version clipped to the time it was in force, so an edit
 * made at T changes shifts from T on and never the past (docs/schedules.md, "Editing").
 */

/** The longest range one shifts request may cover. */
export const MAX_RANGE_DAYS = 366;
/** How far ahead a schedule's gaps are reported. */
export const GAP_HORIZON_DAYS = 14;
export const DAY_MS = 86_400_000;

export interface UserRef {
  id: string;
  name: string;
}

export interface ScheduleRecord {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  timeZone: string;
  /** The current definition, as last written. */
  layers: Layer[];
  /** When the current definition took effect (the last edit of layers or zone); null: since creation. */
  layersFrom: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface OverrideRecord {
  id: string;
  scheduleId: string;
  userId: string | null;
  replacesUserId: string | null;
  start: Date;
  end: Date;
  note: string;
  createdBy: string | null;
  createdAt: Date;
}

export interface TemporaryRecord {
  id: string;
  scheduleId: string;
  start: Date;
  end: Date;
  shifts: { userId: string; start: string; end: string }[];
  note: string;
  createdBy: string | null;
  createdAt: Date;
}

export const SWAP_STATUSES = ['requested', 'accepted', 'declined', 'cancelled'] as const;
export type SwapStatus = (typeof SWAP_STATUSES)[number];

export interface SwapRecord {
  id: string;
  scheduleId: string;
  requesterId: string;
  recipientId: string;
  start: Date;
  end: Date;
  status: SwapStatus;
  note: string;
  overrideId: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

/** A layer definition and the time it was in force: [from, to), null meaning unbounded. */
export interface LayerVersion {
  layers: Layer[];
  from: Date | null;
  to: Date | null;
}

/**
 * One layer list for the calculator: every version's layers clipped to the version's time, in
 * version order. Versions never overlap in time, so only one version's layers are active at any
 * instant and the index precedence within a version is kept. Layer ids stay as they are, so a
 * layer unchanged by an edit gives one continuous shift across it.
 */
export function layersInForce(versions: LayerVersion[]): Layer[] {
  const out: Layer[] = [];
  for (const v of versions) {
    for (const layer of v.layers) {
      const start = Math.max(parseInstant(layer.start) ?? 0, v.from?.getTime() ?? -Infinity);
      const layerEnd = layer.end === undefined ? Infinity : (parseInstant(layer.end) ?? Infinity);
      const end = Math.min(layerEnd, v.to?.getTime() ?? Infinity);
      if (end <= start) continue;
      const clipped: Layer = { ...layer, start: new Date(start).toISOString() };
      if (Number.isFinite(end)) clipped.end = new Date(end).toISOString();
      else delete clipped.end;
      out.push(clipped);
    }
  }
  return out;
}

/** Layers as they read under `timeZone`, written down so that a later zone change does not move them. */
export const pinZone = (layers: Layer[], timeZone: string): Layer[] =>
  layers.map((l) => ({ ...l, handoff: { ...l.handoff, timeZone: l.handoff.timeZone ?? timeZone } }));

/** The calculator's schedule from stored rows that overlap the range (see load-schedule.ts). */
export function assembleSchedule(timeZone: string, versions: LayerVersion[], overrides: OverrideRecord[], temporaries: TemporaryRecord[]): Schedule {
  return {
    timeZone,
    layers: layersInForce(versions),
    overrides: overrides.map((o) => ({
      id: o.id,
      userId: o.userId,
      ...(o.replacesUserId ? { replacesUserId: o.replacesUserId } : {}),
      start: o.start.toISOString(),
      end: o.end.toISOString(),
    })),
    temporarySchedules: temporaries.map((t) => ({ id: t.id, start: t.start.toISOString(), end: t.end.toISOString(), shifts: t.shifts })),
  };
}

/** The problems with a schedule's zone and layers, named `timeZone` and `layers.<i>.<path>`. */
export function checkLayers(timeZone: string, layers: Layer[]): FieldError[] {
  return relabel(checkSchedule({ timeZone, layers }, 's'), 's.');
}

export function checkDescription(value: string, field = 'description'): FieldError | null {
  return value.length > 2000 ? { field, reason: 'must be at most 2000 characters' } : null;
}

export function checkNote(value: string, field = 'note'): FieldError | null {
  return value.length > 1000 ? { field, reason: 'must be at most 1000 characters' } : null;
}

export function checkScheduleName(name: string, field = 'name'): FieldError | null {
  const trimmed = name.trim();
  if (!trimmed) return { field, reason: 'must not be empty' };
  if (trimmed.length > MAX_NAME_LENGTH) return { field, reason: `must be at most ${MAX_NAME_LENGTH} characters` };
  return null;
}

/** An override's fields, by the calculator's own validation (`start`, `end`, `replacesUserId`). */
export function checkOverride(o: { userId: string | null; replacesUserId?: string | undefined; start: string; end: string }): FieldError[] {
  const { replacesUserId, ...rest } = o;
  const override = { id: 'o', ...rest, ...(replacesUserId !== undefined ? { replacesUserId } : {}) };
  return relabel(checkSchedule({ timeZone: 'UTC', layers: [], overrides: [override] }, 's'), 's.overrides.0.');
}

/** A temporary schedule's fields (`start`, `end`, `shifts.<j>.<path>`). */
export function checkTemporary(t: { start: string; end: string; shifts: { userId: string; start: string; end: string }[] }): FieldError[] {
  return relabel(checkSchedule({ timeZone: 'UTC', layers: [], temporarySchedules: [{ id: 't', ...t }] }, 's'), 's.temporarySchedules.0.');
}

/** A `[from, to)` query range: instants with offsets, from before to, at most MAX_RANGE_DAYS long. */
export function checkRange(from: string, to: string, prefix = 'query.'): { from: Date; to: Date } | FieldError[] {
  const problems: FieldError[] = [];
  const f = parseInstant(from);
  const t = parseInstant(to);
  if (f === null) problems.push({ field: `${prefix}from`, reason: 'must be an ISO 8601 instant with an offset' });
  if (t === null) problems.push({ field: `${prefix}to`, reason: 'must be an ISO 8601 instant with an offset' });
  if (f !== null && t !== null) {
    if (t <= f) problems.push({ field: `${prefix}to`, reason: 'must be after from' });
    else if (t - f > MAX_RANGE_DAYS * DAY_MS) problems.push({ field: `${prefix}to`, reason: `must be at most ${MAX_RANGE_DAYS} days after from` });
  }
  return problems.length ? problems : { from: new Date(f!), to: new Date(t!) };
}

/** `checkRange` with defaults: `from` now, `to` GAP_HORIZON_DAYS after `from`. */
export function defaultRange(from: string | undefined, to: string | undefined, now: Date): { from: Date; to: Date } | FieldError[] {
  const f = from ?? now.toISOString();
  const start = parseInstant(f);
  return checkRange(f, to ?? (start === null ? f : new Date(start + GAP_HORIZON_DAYS * DAY_MS).toISOString()));
}

/** Whether `userId` is on call over the whole of [start, end) in the calculator's shifts. */
export function coversRange(shifts: { userId: string; start: string; end: string }[], userId: string, start: Date, end: Date): boolean {
  let covered = start.getTime();
  for (const s of shifts.filter((x) => x.userId === userId).sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    if (Date.parse(s.start) > covered) break;
    covered = Math.max(covered, Date.parse(s.end));
    if (covered >= end.getTime()) return true;
  }
  return covered >= end.getTime();
}

export interface ShiftView {
  user: UserRef;
  start: string;
  end: string;
  source: ShiftSource;
}

export interface OnCallView {
  user: UserRef;
  source: ShiftSource;
}

export interface ShiftsView {
  scheduleId: string;
  from: string;
  to: string;
  shifts: ShiftView[];
  gaps: Gap[];
  coverage: number;
}

function relabel(problems: FieldError[], prefix: string): FieldError[] {
  return problems.map((p) => ({ ...p, field: p.field.startsWith(prefix) ? p.field.slice(prefix.length) : p.field === prefix.slice(0, -1) ? '' : p.field }));
}
