import { type Layer, parseInstant, type Restriction, restrictionMinutes, type Schedule } from './schedule.ts';
import { instantOfWallClock, wallClockAt, type ZoneOffsets, zoneOffsets } from './zone-offsets.ts';

/**
 * The on-call calculator: pure, given the schedule and the time range; no clock, no I/O. The web
 * preview and the paging engine both call it (`onCallAt` is `finalSchedule` over one millisecond).
 * The rules it implements are written down in docs/schedules.md.
 *
 * Data is expected to have passed `checkSchedule`; an unreadable instant or zone throws RangeError.
 */

export type ShiftSource = { type: 'layer'; layerId: string } | { type: 'override'; overrideId: string } | { type: 'temporary'; temporaryId: string };

/** Half-open: on call from `start` (inclusive) to `end` (exclusive). Instants are UTC ISO strings. */
export interface LayerShift {
  userId: string;
  start: string;
  end: string;
}

export interface FinalShift extends LayerShift {
  source: ShiftSource;
}

export interface Gap {
  start: string;
  end: string;
}

export interface FinalSchedule {
  /**
   * Sorted by start, then user id. One user's entries never overlap; entries of different users
   * overlap only where a temporary schedule puts several people on call at once. Touching entries
   * of the same user with the same source are merged into one.
   */
  shifts: FinalShift[];
  /** The maximal stretches of [from, to) with nobody on call, sorted. */
  gaps: Gap[];
  /** The share of [from, to) with someone on call, 0..1 (1 for an empty range). */
  coverage: number;
}

export interface OnCall {
  userId: string;
  source: ShiftSource;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Span {
  start: number;
  end: number;
}

interface MsShift extends Span {
  userId: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function ms(value: string | undefined, what: string): number {
  const parsed = parseInstant(value);
  if (parsed === null) throw new RangeError(`${what} is not an ISO 8601 instant with an offset: ${String(value)}`);
  return parsed;
}

/**
 * An override's (or temporary schedule's) instants, parsed once per object: a caller that asks
 * `onCallAt` many times of one loaded schedule must not re-parse its hundreds of overrides each
 * time. A memo keyed by the object itself, so it changes no answer and holds nothing alive.
 */
const parsedSpans = new WeakMap<object, Span>();
function spanOf(item: { id: string; start: string; end: string }, what: string): Span {
  let span = parsedSpans.get(item);
  if (!span) {
    span = { start: ms(item.start, `${what} ${item.id} start`), end: ms(item.end, `${what} ${item.id} end`) };
    parsedSpans.set(item, span);
  }
  return span;
}

function rangeOf(from: Date, to: Date): Span {
  const start = from.getTime();
  const end = to.getTime();
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) throw new RangeError('the range needs finite from <= to');
  return { start, end };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The instant of local `date` "YYYY-MM-DD" at `time` "HH:mm" in `timeZone`, by the DST rules. */
export function resolveWallClock(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(instantOfWallClock(zoneOffsets(timeZone), Date.UTC(y, m - 1, d) + minutesOf(time) * MINUTE));
}

/**
 * The handoffs of one layer's rotation. Handoff k (any integer; k = 0 is the anchor) is the
 * anchor's local date-time plus k × length units, counted on the local wall clock, then placed on
 * the time line by the DST rules. Shift k runs from handoff k to handoff k + 1 and belongs to
 * participants[k mod n].
 */
class RotationClock {
  readonly zone: ZoneOffsets;
  readonly #layer: Layer;
  readonly #anchor: number;
  readonly #step: number;
  readonly #y: number;
  readonly #m: number;
  readonly #d: number;
  readonly #minute: number;

  constructor(layer: Layer, scheduleTimeZone: string) {
    this.#layer = layer;
    this.zone = zoneOffsets(layer.handoff.timeZone ?? scheduleTimeZone);
    const [y, m, d] = layer.handoff.date.split('-').map(Number) as [number, number, number];
    this.#y = y;
    this.#m = m - 1;
    this.#d = d;
    this.#minute = minutesOf(layer.handoff.time);
    this.#anchor = Date.UTC(y, m - 1, d) + this.#minute * MINUTE;
    const { unit, length } = layer.rotation;
    this.#step = unit === 'hour' ? length * HOUR : unit === 'day' ? length * DAY : unit === 'week' ? 7 * length * DAY : 0;
  }

  /** Local milliseconds of handoff k. */
  #local(k: number): number {
    if (this.#step > 0) return this.#anchor + k * this.#step;
    // Months: calendar arithmetic from the anchor every time (never from the previous handoff),
    // so a handoff on the 31st lands on the 30th in April and on the 31st again in May.
    const total = this.#y * 12 + this.#m + k * this.#layer.rotation.length;
    const year = Math.floor(total / 12);
    const month = total - year * 12;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return Date.UTC(year, month, Math.min(this.#d, lastDay)) + this.#minute * MINUTE;
  }

  handoff(k: number): number {
    return instantOfWallClock(this.zone, this.#local(k));
  }

  /** The k whose shift contains instant t: handoff(k) <= t < handoff(k + 1), found arithmetically. */
  shiftAt(t: number): number {
    const local = wallClockAt(this.zone, t);
    let k: number;
    if (this.#step > 0) k = Math.floor((local - this.#anchor) / this.#step);
    else {
      const date = new Date(local);
      const months = date.getUTCFullYear() * 12 + date.getUTCMonth() - (this.#y * 12 + this.#m);
      k = Math.floor(months / this.#layer.rotation.length);
    }
    // The estimate is off by at most one or two shifts (an offset change, a clamped month end,
    // zero-length shifts in a gap); settle it exactly.
    while (this.handoff(k) > t) k--;
    while (this.handoff(k + 1) <= t) k++;
    return k;
  }

  participant(k: number): string {
    const people = this.#layer.participants;
    return people[((k % people.length) + people.length) % people.length]!;
  }
}

/** The restriction windows of a layer that touch [lo, hi), as sorted, merged instants. */
function restrictionSpans(restrictions: Restriction[], zone: ZoneOffsets, lo: number, hi: number): Span[] {
  const spans: Span[] = [];
  // A window lasts at most a week, so windows that start up to 8 local days before `lo` may reach it.
  const firstDay = Math.floor(wallClockAt(zone, lo) / DAY) - 8;
  const lastDay = Math.floor(wallClockAt(zone, hi) / DAY) + 1;
  const windows = restrictions.map((r) => ({ r, start: minutesOf(r.start), length: restrictionMinutes(r) }));
  for (let day = firstDay; day <= lastDay; day++) {
    const isoWeekday = ((((day + 3) % 7) + 7) % 7) + 1; // 1970-01-01 (day 0) was a Thursday
    for (const w of windows) {
      if (w.length === 0 || (w.r.kind === 'weekly' && w.r.startDay !== isoWeekday)) continue;
      const startLocal = day * DAY + w.start * MINUTE;
      const start = Math.max(lo, instantOfWallClock(zone, startLocal));
      const end = Math.min(hi, instantOfWallClock(zone, startLocal + w.length * MINUTE));
      if (start < end) spans.push({ start, end });
    }
  }
  spans.sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** Both lists sorted and non-overlapping; the pieces of `shifts` inside `windows`. */
function clipToWindows(shifts: MsShift[], windows: Span[]): MsShift[] {
  const out: MsShift[] = [];
  let w = 0;
  for (const shift of shifts) {
    while (w < windows.length && windows[w]!.end <= shift.start) w++;
    for (let i = w; i < windows.length && windows[i]!.start < shift.end; i++) {
      const start = Math.max(shift.start, windows[i]!.start);
      const end = Math.min(shift.end, windows[i]!.end);
      if (start < end) out.push({ userId: shift.userId, start, end });
    }
  }
  return out;
}

function layerShiftsMs(layer: Layer, lo0: number, hi0: number, scheduleTimeZone: string): MsShift[] {
  if (layer.participants.length === 0) return [];
  const lo = Math.max(lo0, ms(layer.start, `layer ${layer.id} start`));
  const hi = layer.end === undefined ? hi0 : Math.min(hi0, ms(layer.end, `layer ${layer.id} end`));
  if (lo >= hi) return [];
  const rotation = new RotationClock(layer, scheduleTimeZone);
  const shifts: MsShift[] = [];
  let k = rotation.shiftAt(lo);
  let start = rotation.handoff(k);
  while (start < hi) {
    const end = rotation.handoff(k + 1);
    // A shift that falls wholly in a spring-forward gap has no length: that turn is skipped.
    if (end > lo && end > start) shifts.push({ userId: rotation.participant(k), start: Math.max(start, lo), end: Math.min(end, hi) });
    start = end;
    k++;
  }
  const restrictions = layer.restrictions ?? [];
  if (restrictions.length === 0) return shifts;
  return clipToWindows(shifts, restrictionSpans(restrictions, rotation.zone, lo, hi));
}

/**
 * One layer's shifts that touch [from, to), clipped to the range, to the layer's start/end and to
 * its restriction windows (restrictions never move handoffs: restricted-out time of a shift is
 * simply not covered). One entry per rotation shift per restriction window, in order, unmerged.
 * The layer's zone is `layer.handoff.timeZone`, or `scheduleTimeZone` when that is absent.
 */
export function layerShifts(layer: Layer, from: Date, to: Date, scheduleTimeZone: string): LayerShift[] {
  const range = rangeOf(from, to);
  return layerShiftsMs(layer, range.start, range.end, scheduleTimeZone).map((s) => ({ userId: s.userId, start: iso(s.start), end: iso(s.end) }));
}

interface SweepEvent {
  at: number;
  on: boolean;
  kind: 'override' | 'temporary' | 'temporaryShift';
  index: number;
  shift: number;
}

function insertSorted(list: number[], value: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, value);
}

function removeValue(list: number[], value: number): void {
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1);
}

const sourceKey = (s: ShiftSource) => (s.type === 'layer' ? `l:${s.layerId}` : s.type === 'override' ? `o:${s.overrideId}` : `t:${s.temporaryId}`);

/**
 * Who is on call over [from, to) and why. At each instant:
 * 1. a temporary schedule covering the instant decides alone (its shifts there, or nobody);
 * 2. otherwise the highest-index layer that has someone on call gives the one base person;
 * 3. then overrides covering the instant apply in list order: without `replacesUserId` one
 *    replaces whoever is on call (or fills a gap), with it one replaces only that person if on call;
 *    `userId: null` leaves nobody instead.
 * Sweeps the boundaries once: O((shifts + overrides) · log) plus the overrides active at once.
 */
export function finalSchedule(schedule: Schedule, from: Date, to: Date): FinalSchedule {
  const range = rangeOf(from, to);
  const { start: lo, end: hi } = range;
  if (lo === hi) return { shifts: [], gaps: [], coverage: 1 };

  const layers = schedule.layers.map((layer) => layerShiftsMs(layer, lo, hi, schedule.timeZone));
  const overrides = schedule.overrides ?? [];
  const temporaries = schedule.temporarySchedules ?? [];

  const points: number[] = [lo, hi];
  const events: SweepEvent[] = [];
  const addSpan = (start: number, end: number, kind: SweepEvent['kind'], index: number, shift = -1) => {
    const s = Math.max(start, lo);
    const e = Math.min(end, hi);
    if (s >= e) return;
    points.push(s, e);
    events.push({ at: s, on: true, kind, index, shift }, { at: e, on: false, kind, index, shift });
  };
  for (const pieces of layers) for (const p of pieces) points.push(p.start, p.end);
  overrides.forEach((o, i) => {
    const span = spanOf(o, 'override');
    addSpan(span.start, span.end, 'override', i);
  });
  temporaries.forEach((t, i) => {
    const { start: tStart, end: tEnd } = spanOf(t, 'temporary schedule');
    addSpan(tStart, tEnd, 'temporary', i);
    t.shifts.forEach((s, j) => {
      // A shift only counts inside its temporary schedule's range.
      addSpan(Math.max(tStart, ms(s.start, `temporary schedule ${t.id} shift start`)), Math.min(tEnd, ms(s.end, `temporary schedule ${t.id} shift end`)), 'temporaryShift', i, j);
    });
  });
  points.sort((a, b) => a - b);
  events.sort((a, b) => a.at - b.at);

  const activeOverrides: number[] = [];
  const activeTemporaries: number[] = [];
  const activeTemporaryShifts = new Map<number, number[]>();
  const cursors = layers.map(() => 0);
  const shifts: (FinalShift & { s: number; e: number })[] = [];
  const open = new Map<string, FinalShift & { s: number; e: number }>();
  const gaps: Span[] = [];
  let e = 0;

  for (let p = 0; p < points.length - 1; p++) {
    const a = points[p]!;
    const b = points[p + 1]!;
    if (a === b) continue;
    for (; e < events.length && events[e]!.at <= a; e++) {
      const ev = events[e]!;
      if (ev.kind === 'override') (ev.on ? insertSorted : removeValue)(activeOverrides, ev.index);
      else if (ev.kind === 'temporary') (ev.on ? insertSorted : removeValue)(activeTemporaries, ev.index);
      else {
        let list = activeTemporaryShifts.get(ev.index);
        if (!list) activeTemporaryShifts.set(ev.index, (list = []));
        (ev.on ? insertSorted : removeValue)(list, ev.shift);
      }
    }

    let onCall: OnCall[] = [];
    const temporary = activeTemporaries.at(-1);
    if (temporary !== undefined) {
      const t = temporaries[temporary]!;
      const users = new Set<string>();
      for (const j of activeTemporaryShifts.get(temporary) ?? []) users.add(t.shifts[j]!.userId);
      for (const userId of users) onCall.push({ userId, source: { type: 'temporary', temporaryId: t.id } });
    } else {
      for (let l = layers.length - 1; l >= 0; l--) {
        const pieces = layers[l]!;
        let c = cursors[l]!;
        while (c < pieces.length && pieces[c]!.end <= a) c++;
        cursors[l] = c;
        const piece = pieces[c];
        if (piece && piece.start <= a) {
          onCall = [{ userId: piece.userId, source: { type: 'layer', layerId: schedule.layers[l]!.id } }];
          break;
        }
      }
      for (const i of activeOverrides) {
        const o = overrides[i]!;
        const source: ShiftSource = { type: 'override', overrideId: o.id };
        if (o.replacesUserId === undefined) onCall = o.userId === null ? [] : [{ userId: o.userId, source }];
        else {
          const at = onCall.findIndex((x) => x.userId === o.replacesUserId);
          if (at < 0) continue;
          if (o.userId === null || onCall.some((x) => x.userId === o.userId)) onCall.splice(at, 1);
          else onCall[at] = { userId: o.userId, source };
        }
      }
    }

    if (onCall.length === 0) {
      const last = gaps.at(-1);
      if (last && last.end === a) last.end = b;
      else gaps.push({ start: a, end: b });
      continue;
    }
    onCall.sort((x, y) => (x.userId < y.userId ? -1 : x.userId > y.userId ? 1 : 0));
    for (const x of onCall) {
      const key = `${x.userId}\u0000${sourceKey(x.source)}`;
      const last = open.get(key);
      if (last && last.e === a) last.e = b;
      else {
        const entry = { userId: x.userId, start: '', end: '', source: x.source, s: a, e: b };
        shifts.push(entry);
        open.set(key, entry);
      }
    }
  }

  const uncovered = gaps.reduce((sum, g) => sum + g.end - g.start, 0);
  return {
    shifts: shifts.map((x) => ({ userId: x.userId, start: iso(x.s), end: iso(x.e), source: x.source })),
    gaps: gaps.map((g) => ({ start: iso(g.start), end: iso(g.end) })),
    coverage: (hi - lo - uncovered) / (hi - lo),
  };
}

/**
 * Who is on call at `at`, and why, sorted by user id: exactly `finalSchedule` over the one
 * millisecond [at, at + 1 ms), so the preview and paging cannot disagree.
 */
export function onCallAt(schedule: Schedule, at: Date): OnCall[] {
  return finalSchedule(schedule, at, new Date(at.getTime() + 1)).shifts.map(({ userId, source }) => ({ userId, source }));
}
