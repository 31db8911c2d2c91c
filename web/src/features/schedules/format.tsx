// How schedule times look: every instant in the viewer's zone with the zone named, and the
// schedule's own wall-clock time beside it when the schedule keeps a different zone.
import type { ShiftSource } from './api.ts';
import type { Layer } from './api.ts';
import { DAY, fromLocalInput, toLocalInput } from '../noise/format.tsx';

export { DAY, fromLocalInput, toLocalInput };

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat(undefined, options);
  }
}

/** "Tue, 1 Dec, 09:00" in `timeZone`. */
export function formatWhen(iso: string, timeZone: string): string {
  return formatter(timeZone, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** "09:00" in `timeZone`. */
export function formatClock(iso: string, timeZone: string): string {
  return formatter(timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** "Tuesday 1 December" in `timeZone`. */
export function formatDay(ms: number, timeZone: string): string {
  return formatter(timeZone, { weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(ms));
}

/** Whether two zones show a different wall clock at `iso` (so both are worth showing). */
export function zonesDiffer(a: string, b: string, iso: string): boolean {
  if (a === b) return false;
  const ms = Date.parse(iso);
  return toLocalInput(ms, a) !== toLocalInput(ms, b);
}

/** An instant in the viewer's zone; the schedule's wall clock follows in brackets where it differs. */
export function When({ iso, viewerZone, scheduleZone }: { iso: string; viewerZone: string; scheduleZone?: string | undefined }) {
  return (
    <>
      <time dateTime={iso}>{formatWhen(iso, viewerZone)}</time>
      {scheduleZone && zonesDiffer(viewerZone, scheduleZone, iso) ? (
        <span className="muted small other-zone"> ({formatWhen(iso, scheduleZone)} {scheduleZone})</span>
      ) : null}
    </>
  );
}

/** The start of the viewer's local day containing `ms`. */
export function startOfDay(ms: number, timeZone: string): number {
  const local = toLocalInput(ms, timeZone).slice(0, 10);
  return fromLocalInput(`${local}T00:00`, timeZone) ?? ms;
}

/** The start of the local day `days` after the one starting at `dayStart` (DST-safe). */
export function addDays(dayStart: number, days: number, timeZone: string): number {
  return startOfDay(dayStart + days * DAY + 12 * 3_600_000, timeZone);
}

/** "Layer “Primary”", "Override" or "Temporary schedule". */
export function sourceLabel(source: ShiftSource, layers: readonly Layer[]): string {
  if (source.type === 'override') return 'Override';
  if (source.type === 'temporary') return 'Temporary schedule';
  const layer = layers.find((l) => l.id === source.layerId);
  return `Layer “${layer?.name ?? source.layerId}”`;
}

/** A CSS class per source: layers cycle through a few colours, each also with its own pattern. */
export function sourceClass(source: ShiftSource, layers: readonly Layer[]): string {
  if (source.type === 'override') return 'seg seg-override';
  if (source.type === 'temporary') return 'seg seg-temporary';
  const index = Math.max(0, layers.findIndex((l) => l.id === source.layerId));
  return `seg seg-layer seg-layer-${index % 5}`;
}

export function formatCoverage(coverage: number): string {
  const pct = coverage * 100;
  return `${pct >= 99.95 || pct <= 0.05 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

const UNIT_LABEL = { hour: 'hour', day: 'day', week: 'week', month: 'month' } as const;

export function describeRotation(layer: Layer): string {
  const { unit, length } = layer.rotation;
  return length === 1 ? `Every ${UNIT_LABEL[unit]}` : `Every ${length} ${UNIT_LABEL[unit]}s`;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const weekdayName = (isoDay: number) => WEEKDAYS[isoDay - 1] ?? String(isoDay);

export function describeRestriction(r: Layer['restrictions'] extends (infer R)[] | undefined ? R : never): string {
  if (r.kind === 'daily') return `Every day ${r.start}–${r.end}`;
  return `${weekdayName(r.startDay)} ${r.start} – ${weekdayName(r.endDay)} ${r.end}`;
}
