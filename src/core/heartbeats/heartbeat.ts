import type { FieldError } from '../shared/errors.ts';
import { randomString } from '../shared/secrets.ts';

/**
 * A heartbeat monitor (dead man's switch): something outside Vigil (a cron job, a backup script,
 * an uptime tool) requests the ping URL at least every `intervalSeconds`; when a ping is late, an
 * alert opens on the heartbeat's service, and the next ping resolves it.
 */
export type HeartbeatStatus = 'pending' | 'up' | 'down';

export interface Heartbeat {
  id: string;
  serviceId: string;
  serviceName: string;
  name: string;
  /** Null when the reader may not see keys (observers); `keyPreview` is always there. */
  key: string | null;
  keyPreview: string;
  intervalSeconds: number;
  /** pending: never pinged yet; up: pinged in time; down: a ping is late (an alert is open). */
  status: HeartbeatStatus;
  lastPingAt: Date | null;
  /** When the next ping is due: (last ping, or creation) + interval. In the past while down. */
  nextDueAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** Like integration keys: 32 characters of [a-z0-9] (~165 bits), usable in a URL as is. */
export const HEARTBEAT_KEY_LENGTH = 32;
export const newHeartbeatKey = (): string => randomString(HEARTBEAT_KEY_LENGTH);
export const isWellFormedKey = (key: string): boolean => /^[a-z0-9]{32}$/.test(key);
export const previewKey = (key: string): string => `${key.slice(0, 4)}…${key.slice(-4)}`;

/** The database enforces the same range (30 seconds to 7 days). */
export const INTERVAL_MIN_SECONDS = 30;
export const INTERVAL_MAX_SECONDS = 604_800;

export function checkInterval(value: number, field = 'intervalSeconds'): FieldError | null {
  if (!Number.isInteger(value)) return { field, reason: 'must be a whole number of seconds' };
  if (value < INTERVAL_MIN_SECONDS || value > INTERVAL_MAX_SECONDS) {
    return { field, reason: `must be between ${INTERVAL_MIN_SECONDS} and ${INTERVAL_MAX_SECONDS} seconds (7 days)` };
  }
  return null;
}

export interface HeartbeatTiming {
  status: HeartbeatStatus;
  intervalSeconds: number;
  lastPingAt: Date | null;
  createdAt: Date;
}

/** A heartbeat that never pinged is due one interval after it was created, so it alarms too. */
export const dueAt = (h: Pick<HeartbeatTiming, 'intervalSeconds' | 'lastPingAt' | 'createdAt'>): Date =>
  new Date((h.lastPingAt ?? h.createdAt).getTime() + h.intervalSeconds * 1000);

export type CheckDecision =
  /** Down already: its alert is open and the next ping resolves it; nothing to check until then. */
  | { action: 'none' }
  /** The ping is late: mark down and raise the alert. */
  | { action: 'alarm'; dueAt: Date }
  /** Pinged since this check was scheduled: look again when the next ping is due. */
  | { action: 'wait'; until: Date };

/** What a check at `now` does. Due exactly at `now` counts as late. */
export function decideCheck(h: HeartbeatTiming, now: Date): CheckDecision {
  if (h.status === 'down') return { action: 'none' };
  const due = dueAt(h);
  return due.getTime() <= now.getTime() ? { action: 'alarm', dueAt: due } : { action: 'wait', until: due };
}

const UNITS: [name: string, seconds: number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** 90 → "1 minute 30 seconds", 86400 → "1 day", 0 → "0 seconds". */
export function describeInterval(seconds: number): string {
  let left = Math.max(0, Math.round(seconds));
  const parts: string[] = [];
  for (const [name, size] of UNITS) {
    const n = Math.floor(left / size);
    left -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.length ? parts.join(' ') : '0 seconds';
}

/** The dedup key of a heartbeat's alert: one open alert per heartbeat. */
export const heartbeatDedupKey = (heartbeatId: string): string => `heartbeat:${heartbeatId}`;
