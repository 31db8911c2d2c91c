import type { UserShift } from '../schedules/index.ts';

/**
 * The handoff report's rules (pure): which of a person's shifts are the current, next and previous
 * ones at `now`. Shifts come from core/schedules over [now - HANDOFF_DAYS, now + HANDOFF_DAYS).
 */

/** How far back the previous shift and ahead the next one are looked for. */
export const HANDOFF_DAYS = 90;

export interface ShiftPick {
  /** The shift `now` is in (the earliest-started one when schedules overlap). */
  current: UserShift | null;
  /** The first shift starting after `now` (after the current one, if any). */
  next: UserShift | null;
  /** The shift that ended last, at or before `now`. */
  previous: UserShift | null;
}

/** `shifts` sorted by start, as `getUserShifts` answers them. */
export function pickShifts(shifts: readonly UserShift[], now: Date): ShiftPick {
  const t = now.getTime();
  const current = shifts.find((s) => Date.parse(s.start) <= t && t < Date.parse(s.end)) ?? null;
  const next = shifts.find((s) => Date.parse(s.start) > t) ?? null;
  let previous: UserShift | null = null;
  for (const s of shifts) if (Date.parse(s.end) <= t && (!previous || Date.parse(s.end) > Date.parse(previous.end))) previous = s;
  return { current, next, previous };
}
