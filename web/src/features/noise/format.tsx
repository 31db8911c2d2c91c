// How noise controls look, and the time arithmetic their forms need: states, matchers, actions,
// and date-time inputs read in the viewer's time zone (not the browser's).
import type { EventRule, Matcher, SilenceState, WindowState } from './api.ts';

const WINDOW_ORDER: readonly WindowState[] = ['upcoming', 'active', 'past'];
const SILENCE_ORDER: readonly SilenceState[] = ['pending', 'active', 'expired'];

/** Where `now` falls: 0 before the start, 1 from the start (inclusive) to the end (exclusive), 2 after. */
function phase(item: { startsAt: string; endsAt: string }, now: number): number {
  if (now < Date.parse(item.startsAt)) return 0;
  return now < Date.parse(item.endsAt) ? 1 : 2;
}

/**
 * A window's state now: the server's answer, moved on if its start or end has passed since (a list
 * stays on screen a while). States only move forward, so a slow browser clock cannot move one back.
 */
export function windowState(item: { startsAt: string; endsAt: string; state: WindowState }, now: number): WindowState {
  const local = phase(item, Math.max(now, Date.now()));
  return WINDOW_ORDER[Math.max(WINDOW_ORDER.indexOf(item.state), local)] ?? item.state;
}

export function silenceState(item: { startsAt: string; endsAt: string; state: SilenceState }, now: number): SilenceState {
  const local = phase(item, Math.max(now, Date.now()));
  return SILENCE_ORDER[Math.max(SILENCE_ORDER.indexOf(item.state), local)] ?? item.state;
}

const STATE_LABEL: Record<WindowState | SilenceState, string> = {
  active: 'Active',
  upcoming: 'Upcoming',
  past: 'Ended',
  pending: 'Pending',
  expired: 'Expired',
};

export function StateBadge({ state }: { state: WindowState | SilenceState }) {
  return <span className={`badge badge-noise-${state}`}>{STATE_LABEL[state]}</span>;
}

/** Alertmanager's spelling: alertname=~"Disk.*". */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.op}${JSON.stringify(m.value)}`;
}

export function MatcherChips({ matchers, label }: { matchers: Matcher[]; label: string }) {
  return (
    <ul className="chips" aria-label={label}>
      {matchers.map((m, i) => (
        <li key={i}>
          <code className="matcher">{formatMatcher(m)}</code>
        </li>
      ))}
    </ul>
  );
}

export function describeActions(actions: EventRule['actions'], serviceName: (id: string) => string): string {
  const parts: string[] = [];
  if (actions.drop) parts.push('drop the event');
  if (actions.routeToServiceId) parts.push(`route to ${serviceName(actions.routeToServiceId)}`);
  if (actions.severity) parts.push(`set severity to ${actions.severity}`);
  if (actions.suppress) parts.push('suppress (page nobody)');
  return parts.length ? parts.join(', ') : 'nothing';
}

// ---- date-time inputs in a given IANA zone ----

const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The zone's offset from UTC at `ms`, in milliseconds (positive east of Greenwich). */
function zoneOffset(ms: number, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(ms));
  } catch {
    return -new Date(ms).getTimezoneOffset() * MINUTE;
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `ms` as the value of an <input type="datetime-local"> showing the wall-clock time in `timeZone`. */
export function toLocalInput(ms: number, timeZone: string): string {
  const wall = new Date(ms + zoneOffset(ms, timeZone));
  return `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
}

/** Reads a datetime-local value as wall-clock time in `timeZone`; null when it is not a date. */
export function fromLocalInput(value: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  let guess = wall - zoneOffset(wall, timeZone);
  guess = wall - zoneOffset(guess, timeZone);
  return guess;
}

export interface Duration {
  label: string;
  ms: number;
}

export const QUICK_DURATIONS: readonly Duration[] = [
  { label: '1 h', ms: HOUR },
  { label: '4 h', ms: 4 * HOUR },
  { label: '1 day', ms: DAY },
];

export const SILENCE_DURATIONS: readonly Duration[] = [
  { label: '1 hour', ms: HOUR },
  { label: '2 hours', ms: 2 * HOUR },
  { label: '4 hours', ms: 4 * HOUR },
  { label: '8 hours', ms: 8 * HOUR },
  { label: '1 day', ms: DAY },
  { label: '3 days', ms: 3 * DAY },
  { label: '1 week', ms: 7 * DAY },
];
