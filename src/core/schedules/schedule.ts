import { IANAZone } from 'luxon';
import type { FieldError } from '../shared/errors.ts';

/**
 * On-call schedules as plain JSON data (what a store loads and the calculator reads). The rules
 * that turn this data into "who is on call when" are in schedule-math.ts and docs/schedules.md.
 *
 * Instants are ISO 8601 strings with an explicit offset or `Z` ("2026-03-08T07:00:00Z"). Wall-clock
 * values are a local date "YYYY-MM-DD" and a local time "HH:mm" read in an IANA zone.
 */
export type Instant = string;

export const ROTATION_UNITS = ['hour', 'day', 'week', 'month'] as const;
export type RotationUnit = (typeof ROTATION_UNITS)[number];

/** The longest rotation per unit: a week of hours, a year of days, weeks or months. */
export const MAX_ROTATION_LENGTH: Record<RotationUnit, number> = { hour: 168, day: 365, week: 52, month: 12 };
export const MAX_LAYERS = 10;
export const MAX_PARTICIPANTS = 100;
export const MAX_RESTRICTIONS = 50;
export const MAX_OVERRIDES = 5000;
export const MAX_TEMPORARY_SCHEDULES = 100;
export const MAX_TEMPORARY_SHIFTS = 1000;
export const MAX_ID_LENGTH = 200;
export const MAX_NAME_LENGTH = 100;

export interface Rotation {
  unit: RotationUnit;
  /** Shift length in `unit`s: `{ unit: 'week', length: 2 }` hands off every two weeks. */
  length: number;
}

/**
 * The wall-clock moment of one handoff: participant 0 starts here, and every other handoff is this
 * local date and time plus a whole number of rotations. `timeZone` defaults to the schedule's zone;
 * a layer in another zone is how follow-the-sun is written.
 */
export interface Handoff {
  date: string;
  time: string;
  timeZone?: string;
}

/** Every day from `start` to `end` (local, layer zone); `end` before `start` crosses midnight. */
export interface DailyRestriction {
  kind: 'daily';
  start: string;
  end: string;
}

/** From ISO weekday `startDay` at `start` to `endDay` at `end` (Monday = 1 … Sunday = 7, layer zone). */
export interface WeeklyRestriction {
  kind: 'weekly';
  startDay: number;
  start: string;
  endDay: number;
  end: string;
}

export type Restriction = DailyRestriction | WeeklyRestriction;

export interface Layer {
  id: string;
  name: string;
  /** In rotation order; the same user may appear more than once (two turns per cycle). */
  participants: string[];
  rotation: Rotation;
  handoff: Handoff;
  /** The layer has effect from this instant (inclusive)… */
  start: Instant;
  /** …to this one (exclusive); absent = for ever. */
  end?: Instant;
  /** When present, the layer only covers time inside at least one window. Absent or [] = always. */
  restrictions?: Restriction[];
}

/**
 * From `start` (inclusive) to `end` (exclusive): put `userId` on call instead of `replacesUserId`,
 * or instead of whoever is on call when `replacesUserId` is absent (also when nobody is: the
 * override then fills a gap). `userId: null` removes: nobody instead.
 */
export interface Override {
  id: string;
  userId: string | null;
  replacesUserId?: string;
  start: Instant;
  end: Instant;
}

export interface TemporaryShift {
  userId: string;
  start: Instant;
  end: Instant;
}

/**
 * Fixed shifts that replace everything (layers and overrides) from `start` to `end`; time inside
 * the range that no shift covers has nobody on call. Shifts may overlap: several people at once.
 */
export interface TemporarySchedule {
  id: string;
  start: Instant;
  end: Instant;
  shifts: TemporaryShift[];
}

/**
 * Precedence, lowest to highest: layers in index order (the layer with the HIGHEST index that has
 * someone on call at an instant wins), then overrides in list order (a later override applies on
 * top of an earlier one; stores load them in creation order), then temporary schedules (which
 * replace everything in their range).
 */
export interface Schedule {
  timeZone: string;
  layers: Layer[];
  overrides?: Override[];
  temporarySchedules?: TemporarySchedule[];
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export const isHHMM = (value: unknown): value is string => typeof value === 'string' && HHMM.test(value);

export function isLocalDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1970 && y <= 9999 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** An ISO 8601 instant with an explicit offset; returns epoch milliseconds or null. */
export function parseInstant(value: unknown): number | null {
  if (typeof value !== 'string' || !INSTANT.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** An IANA zone name ("Europe/London", "UTC"); Intl also accepts offsets like "+05:30", which are not names. */
export const isTimeZone = (value: unknown): value is string =>
  typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value) && IANAZone.isValidZone(value);

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

/** Minutes from `start` to `end` of a restriction window, after wrapping; 0 means an empty window. */
export function restrictionMinutes(r: Restriction): number {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  if (r.kind === 'daily') return (minutes(r.end) - minutes(r.start) + 1440) % 1440;
  const week = 7 * 1440;
  return ((r.endDay - r.startDay) * 1440 + minutes(r.end) - minutes(r.start) + week) % week;
}

/** Every problem with `schedule`, each named by a dotted path under `field`; [] when valid. */
export function checkSchedule(schedule: Schedule, field = 'schedule'): FieldError[] {
  const problems: FieldError[] = [];
  const add = (f: string, reason: string) => problems.push({ field: f, reason });
  if (!isTimeZone(schedule.timeZone)) add(`${field}.timeZone`, 'is not an IANA time zone');

  if (!Array.isArray(schedule.layers)) add(`${field}.layers`, 'must be a list');
  else {
    if (schedule.layers.length > MAX_LAYERS) add(`${field}.layers`, `must have at most ${MAX_LAYERS} layers`);
    const ids = new Set<string>();
    schedule.layers.forEach((layer, i) => {
      const f = `${field}.layers.${i}`;
      if (isId(layer.id) && ids.has(layer.id)) add(`${f}.id`, 'is used by another layer');
      ids.add(layer.id);
      problems.push(...checkLayer(layer, f));
    });
  }

  const overrides = schedule.overrides ?? [];
  if (!Array.isArray(overrides)) add(`${field}.overrides`, 'must be a list');
  else {
    if (overrides.length > MAX_OVERRIDES) add(`${field}.overrides`, `must have at most ${MAX_OVERRIDES} overrides`);
    const ids = new Set<string>();
    overrides.forEach((o, i) => {
      const f = `${field}.overrides.${i}`;
      if (!isId(o.id)) add(`${f}.id`, `must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
      else if (ids.has(o.id)) add(`${f}.id`, 'is used by another override');
      ids.add(o.id);
      if (o.userId !== null && !isId(o.userId)) add(`${f}.userId`, 'must be a user id or null (nobody)');
      if (o.replacesUserId !== undefined && !isId(o.replacesUserId)) add(`${f}.replacesUserId`, 'must be a user id when present');
      if (o.replacesUserId !== undefined && o.replacesUserId === o.userId) add(`${f}.replacesUserId`, 'must differ from userId');
      checkRange(o.start, o.end, f, add);
    });
  }

  const temporaries = schedule.temporarySchedules ?? [];
  if (!Array.isArray(temporaries)) add(`${field}.temporarySchedules`, 'must be a list');
  else {
    if (temporaries.length > MAX_TEMPORARY_SCHEDULES) add(`${field}.temporarySchedules`, `must have at most ${MAX_TEMPORARY_SCHEDULES} temporary schedules`);
    const ids = new Set<string>();
    const ranges: { start: number; end: number; i: number }[] = [];
    temporaries.forEach((t, i) => {
      const f = `${field}.temporarySchedules.${i}`;
      if (!isId(t.id)) add(`${f}.id`, `must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
      else if (ids.has(t.id)) add(`${f}.id`, 'is used by another temporary schedule');
      ids.add(t.id);
      const range = checkRange(t.start, t.end, f, add);
      if (range) ranges.push({ ...range, i });
      if (!Array.isArray(t.shifts)) return add(`${f}.shifts`, 'must be a list');
      if (t.shifts.length > MAX_TEMPORARY_SHIFTS) add(`${f}.shifts`, `must have at most ${MAX_TEMPORARY_SHIFTS} shifts`);
      t.shifts.forEach((s, j) => {
        const sf = `${f}.shifts.${j}`;
        if (!isId(s.userId)) add(`${sf}.userId`, 'must be a user id');
        const shift = checkRange(s.start, s.end, sf, add);
        if (shift && range && (shift.start < range.start || shift.end > range.end)) add(sf, 'must lie within the temporary schedule');
      });
    });
    ranges.sort((a, b) => a.start - b.start);
    for (let k = 1; k < ranges.length; k++) {
      const prev = ranges[k - 1]!;
      const cur = ranges[k]!;
      if (cur.start < prev.end) add(`${field}.temporarySchedules.${Math.max(cur.i, prev.i)}`, 'overlaps another temporary schedule');
    }
  }
  return problems;
}

export function checkLayer(layer: Layer, field: string): FieldError[] {
  const problems: FieldError[] = [];
  const add = (f: string, reason: string) => problems.push({ field: f, reason });
  if (!isId(layer.id)) add(`${field}.id`, `must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  if (typeof layer.name !== 'string' || layer.name.trim() === '' || layer.name.length > MAX_NAME_LENGTH) {
    add(`${field}.name`, `must be 1 to ${MAX_NAME_LENGTH} characters`);
  }

  if (!Array.isArray(layer.participants) || layer.participants.length < 1 || layer.participants.length > MAX_PARTICIPANTS) {
    add(`${field}.participants`, `must list 1 to ${MAX_PARTICIPANTS} user ids`);
  } else {
    layer.participants.forEach((p, i) => {
      if (!isId(p)) add(`${field}.participants.${i}`, 'must be a user id');
    });
  }

  const rotation = layer.rotation;
  if (!rotation || !ROTATION_UNITS.includes(rotation.unit)) add(`${field}.rotation.unit`, `must be one of ${ROTATION_UNITS.join(', ')}`);
  else {
    const max = MAX_ROTATION_LENGTH[rotation.unit];
    if (!Number.isInteger(rotation.length) || rotation.length < 1 || rotation.length > max) {
      add(`${field}.rotation.length`, `must be a whole number from 1 to ${max} for ${rotation.unit} rotations`);
    }
  }

  const handoff = layer.handoff;
  if (!handoff) add(`${field}.handoff`, 'is required');
  else {
    if (!isLocalDate(handoff.date)) add(`${field}.handoff.date`, 'must be a calendar date YYYY-MM-DD');
    if (!isHHMM(handoff.time)) add(`${field}.handoff.time`, 'must be HH:mm');
    if (handoff.timeZone !== undefined && !isTimeZone(handoff.timeZone)) add(`${field}.handoff.timeZone`, 'is not an IANA time zone');
  }

  const start = parseInstant(layer.start);
  if (start === null) add(`${field}.start`, 'must be an ISO 8601 instant with an offset');
  if (layer.end !== undefined) {
    const end = parseInstant(layer.end);
    if (end === null) add(`${field}.end`, 'must be an ISO 8601 instant with an offset');
    else if (start !== null && end <= start) add(`${field}.end`, 'must be after start');
  }

  const restrictions = layer.restrictions ?? [];
  if (!Array.isArray(restrictions)) add(`${field}.restrictions`, 'must be a list');
  else {
    if (restrictions.length > MAX_RESTRICTIONS) add(`${field}.restrictions`, `must have at most ${MAX_RESTRICTIONS} windows`);
    restrictions.forEach((r, i) => {
      const f = `${field}.restrictions.${i}`;
      if (r.kind !== 'daily' && r.kind !== 'weekly') return add(`${f}.kind`, 'must be daily or weekly');
      const before = problems.length;
      if (!isHHMM(r.start)) add(`${f}.start`, 'must be HH:mm');
      if (!isHHMM(r.end)) add(`${f}.end`, 'must be HH:mm');
      if (r.kind === 'weekly') {
        for (const key of ['startDay', 'endDay'] as const) {
          if (!Number.isInteger(r[key]) || r[key] < 1 || r[key] > 7) add(`${f}.${key}`, 'must be an ISO weekday 1 (Monday) to 7 (Sunday)');
        }
      }
      if (problems.length === before && restrictionMinutes(r) === 0) {
        add(f, r.kind === 'daily' ? 'must not start and end at the same time (a whole day is no restriction)' : 'must not start and end at the same moment of the week');
      }
    });
  }
  return problems;
}

function checkRange(start: unknown, end: unknown, field: string, add: (f: string, reason: string) => void): { start: number; end: number } | null {
  const s = parseInstant(start);
  const e = parseInstant(end);
  if (s === null) add(`${field}.start`, 'must be an ISO 8601 instant with an offset');
  if (e === null) add(`${field}.end`, 'must be an ISO 8601 instant with an offset');
  if (s === null || e === null) return null;
  if (e <= s) {
    add(`${field}.end`, 'must be after start');
    return null;
  }
  return { start: s, end: e };
}
