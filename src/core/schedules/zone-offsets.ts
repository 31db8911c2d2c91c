import { IANAZone } from 'luxon';

/**
 * UTC offsets of one IANA zone, read from the platform's time zone data (through Luxon) once per
 * 128-day bucket and then answered from a table of transitions. Asking Intl for every offset costs
 * about 6 µs; a year of hourly handoffs in five layers asks tens of thousands of times.
 * Deterministic: the memo only remembers answers the platform would give again.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BUCKET = 128 * DAY;
/** Offsets are sampled every 6 hours; tz data has no two transitions that close together. */
const SAMPLE = 6 * HOUR;

export interface Transition {
  /** The first instant (epoch ms) with the new offset. */
  at: number;
  /** Offsets in milliseconds, before and from `at`. */
  before: number;
  after: number;
}

interface Bucket {
  first: number;
  transitions: Transition[];
}

export class ZoneOffsets {
  readonly name: string;
  readonly #zone: IANAZone;
  readonly #buckets = new Map<number, Bucket>();

  constructor(name: string) {
    if (!IANAZone.isValidZone(name)) throw new RangeError(`not an IANA time zone: ${name}`);
    this.name = name;
    this.#zone = IANAZone.create(name);
  }

  /** The offset in milliseconds (local wall clock minus UTC) in effect at instant `t`. */
  offset(t: number): number {
    const bucket = this.#bucket(Math.floor(t / BUCKET));
    let offset = bucket.first;
    for (const tr of bucket.transitions) {
      if (tr.at > t) break;
      offset = tr.after;
    }
    return offset;
  }

  /** Transitions with `from < at <= to`, in order. */
  transitions(from: number, to: number): Transition[] {
    const out: Transition[] = [];
    for (let b = Math.floor(from / BUCKET); b <= Math.floor(to / BUCKET); b++) {
      for (const tr of this.#bucket(b).transitions) if (tr.at > from && tr.at <= to) out.push(tr);
    }
    return out;
  }

  #raw(t: number): number {
    return this.#zone.offset(t) * MINUTE;
  }

  #bucket(index: number): Bucket {
    const cached = this.#buckets.get(index);
    if (cached) return cached;
    const start = index * BUCKET;
    const first = this.#raw(start);
    const transitions: Transition[] = [];
    let prevT = start;
    let prev = first;
    for (let t = start + SAMPLE; t <= start + BUCKET; t += SAMPLE) {
      const o = this.#raw(t);
      if (o !== prev) {
        // The change is in (prevT, t]: find its first millisecond.
        let lo = prevT;
        let hi = t;
        while (hi - lo > 1) {
          const mid = lo + Math.floor((hi - lo) / 2);
          if (this.#raw(mid) === prev) lo = mid;
          else hi = mid;
        }
        // A transition exactly at the next bucket's start belongs to that bucket.
        if (hi < start + BUCKET) transitions.push({ at: hi, before: prev, after: o });
        prev = o;
      }
      prevT = t;
    }
    const bucket = { first, transitions };
    this.#buckets.set(index, bucket);
    return bucket;
  }
}

const zones = new Map<string, ZoneOffsets>();

export function zoneOffsets(name: string): ZoneOffsets {
  let zone = zones.get(name);
  if (!zone) {
    zone = new ZoneOffsets(name);
    zones.set(name, zone);
  }
  return zone;
}

/** The local wall clock at instant `t`, as "local milliseconds" (the local date-time read as if UTC). */
export const wallClockAt = (zone: ZoneOffsets, t: number): number => t + zone.offset(t);

/**
 * The instant of a wall-clock time `local` (local milliseconds) in `zone`, by Vigil's DST rules:
 * - an ambiguous time (clocks go back, the hour repeats) is its FIRST occurrence (the earlier
 *   instant, still on the offset from before the change);
 * - a time that does not exist (clocks go forward, the hour is skipped) is the first instant after
 *   the gap, i.e. the transition itself: 02:30 on a New York spring-forward day is 03:00 EDT.
 *   (Luxon's DateTime.fromObject would give 03:30 EDT, moving the time by the gap's length; we do
 *   not use that.)
 * The function never decreases: a later wall-clock time never maps to an earlier instant.
 */
export function instantOfWallClock(zone: ZoneOffsets, local: number): number {
  // Real offsets lie within ±1 day, so the instant is within a day of `local`.
  const lo = local - DAY;
  const hi = local + DAY;
  const transitions = zone.transitions(lo, hi);
  if (transitions.length === 0) return local - zone.offset(lo);
  let best = Number.POSITIVE_INFINITY;
  const offsets = new Set<number>([zone.offset(lo)]);
  for (const tr of transitions) offsets.add(tr.after);
  for (const o of offsets) {
    const t = local - o;
    if (t < best && zone.offset(t) === o) best = t;
  }
  if (best !== Number.POSITIVE_INFINITY) return best;
  // In a gap: the transition that jumps the wall clock over `local`.
  for (const tr of transitions) if (tr.after > tr.before && tr.at + tr.before <= local && local < tr.at + tr.after) return tr.at;
  /* c8 ignore next */
  throw new RangeError(`cannot place wall-clock time ${new Date(local).toISOString().slice(0, 16)} in ${zone.name}`);
}
