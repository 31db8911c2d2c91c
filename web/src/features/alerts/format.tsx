// How alerts look: status, severity, urgency and decision badges, relative times, suppression text.
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../app/ui.tsx';
import type { AlertStatus, Severity, Urgency } from './api.ts';

/** The current time, refreshed every `everyMs`, so relative times ("3 minutes ago") keep moving. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

let relativeFormat: Intl.RelativeTimeFormat | null = null;

/** "just now", "4 minutes ago", "2 days ago" (or "in 3 minutes" for a clock that runs ahead). */
export function relativeTime(iso: string, now: number): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((at - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  relativeFormat ??= new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relativeFormat.format(Math.round(seconds / size), unit);
  }
  return relativeFormat.format(Math.round(seconds / 60) || (seconds < 0 ? -1 : 1), 'minute');
}

/** A relative time with the exact time on hover, and spelled out for screen readers. */
export function RelativeTime({ iso, now, timeZone, spellOut = true }: { iso: string | null; now: number; timeZone: string; spellOut?: boolean }) {
  if (!iso) return <span className="muted">—</span>;
  const exact = formatDateTime(iso, timeZone);
  return (
    <time dateTime={iso} title={exact} className="reltime">
      {relativeTime(iso, now)}
      {spellOut ? <span className="visually-hidden"> ({exact})</span> : null}
    </time>
  );
}

export const STATUS_LABEL: Record<AlertStatus, string> = { triggered: 'Triggered', acknowledged: 'Acknowledged', resolved: 'Resolved' };
export const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', error: 'Error', warning: 'Warning', info: 'Info' };

export function StatusBadge({ status }: { status: AlertStatus }) {
  return <span className={`badge badge-status-${status}`}>{STATUS_LABEL[status] ?? status}</span>;
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge badge-severity-${severity}`}>{SEVERITY_LABEL[severity] ?? severity}</span>;
}

export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  return <span className={urgency === 'high' ? 'badge badge-urgency-high' : 'badge'}>{urgency === 'high' ? 'High' : 'Low'}</span>;
}

const DECISIONS = new Set(['created', 'deduplicated', 'acknowledged', 'resolved', 'retriggered', 'ignored', 'suppressed', 'dropped']);

/** A log entry's decision; only the known ones get their own style (the class never comes from raw data). */
export function DecisionBadge({ decision }: { decision: string }) {
  const known = DECISIONS.has(decision);
  return <span className={known ? `badge badge-decision badge-decision-${decision}` : 'badge badge-decision'}>{decision}</span>;
}

/** Why an alert was suppressed, in words: "silence “deploy” (env="prod") until 3 Mar 2026, 10:00". */
export function describeSuppression(by: Record<string, unknown>, timeZone: string): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : value == null ? '' : JSON.stringify(value));
  const until = typeof by['until'] === 'string' ? ` until ${formatDateTime(by['until'], timeZone)}` : '';
  if (by['type'] === 'maintenance') return `maintenance window “${text(by['description']) || 'unnamed'}”${until}`;
  if (by['type'] === 'silence') {
    const matchers = text(by['matchers']);
    return `silence “${text(by['comment']) || 'no comment'}”${matchers ? ` (${matchers})` : ''}${until}`;
  }
  if (by['type'] === 'rule') return `event rule “${text(by['name']) || 'unnamed'}”`;
  return text(by['type']) || 'a rule';
}
