import { DateTime } from 'luxon';
import type { FieldError } from '../shared/errors.ts';
import { SEVERITIES, type Severity } from './signal.ts';

export type Urgency = 'high' | 'low';

/**
 * A service's urgency rule (PagerDuty's severity-based urgency with support hours). `bySeverity`
 * overrides the default map; with `supportHours`, alerts outside those hours get `outsideHours`
 * urgency (PagerDuty: low at night, so nobody is woken for what can wait).
 */
export interface UrgencyRule {
  bySeverity?: Partial<Record<Severity, Urgency>>;
  supportHours?: { timeZone: string; days: number[]; start: string; end: string; outsideHours: Urgency };
}

export const DEFAULT_URGENCY: Record<Severity, Urgency> = { critical: 'high', error: 'high', warning: 'low', info: 'low' };

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Pure: the urgency of an alert of `severity` arriving at `now` on a service with `rule`. */
export function urgencyOf(severity: Severity, rule: UrgencyRule | null, now: Date): Urgency {
  const base = rule?.bySeverity?.[severity] ?? DEFAULT_URGENCY[severity];
  const hours = rule?.supportHours;
  if (!hours || inSupportHours(hours, now)) return base;
  // Outside support hours the rule can only lower urgency, never raise a low one.
  return hours.outsideHours === 'low' ? 'low' : base;
}

/** Days are ISO weekdays (1 = Monday … 7 = Sunday) in the rule's own time zone; end is exclusive. */
export function inSupportHours(hours: NonNullable<UrgencyRule['supportHours']>, now: Date): boolean {
  const local = DateTime.fromJSDate(now, { zone: hours.timeZone });
  if (!hours.days.includes(local.weekday)) return false;
  const minute = local.hour * 60 + local.minute;
  const [sh, sm] = hours.start.split(':').map(Number) as [number, number];
  const [eh, em] = hours.end.split(':').map(Number) as [number, number];
  return minute >= sh * 60 + sm && minute < eh * 60 + em;
}

export function checkUrgencyRule(rule: UrgencyRule, field: string): FieldError[] {
  const problems: FieldError[] = [];
  for (const [severity, urgency] of Object.entries(rule.bySeverity ?? {})) {
    if (!SEVERITIES.includes(severity as Severity)) problems.push({ field: `${field}.bySeverity.${severity}`, reason: `is not a severity (${SEVERITIES.join(', ')})` });
    if (urgency !== 'high' && urgency !== 'low') problems.push({ field: `${field}.bySeverity.${severity}`, reason: 'must be high or low' });
  }
  const hours = rule.supportHours;
  if (hours) {
    if (!DateTime.local().setZone(hours.timeZone).isValid) problems.push({ field: `${field}.supportHours.timeZone`, reason: 'is not an IANA time zone' });
    if (hours.days.length === 0 || hours.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
      problems.push({ field: `${field}.supportHours.days`, reason: 'must list ISO weekdays 1 (Monday) to 7 (Sunday)' });
    }
    if (!HHMM.test(hours.start)) problems.push({ field: `${field}.supportHours.start`, reason: 'must be HH:MM' });
    if (!HHMM.test(hours.end)) problems.push({ field: `${field}.supportHours.end`, reason: 'must be HH:MM' });
    if (HHMM.test(hours.start) && HHMM.test(hours.end) && hours.end <= hours.start) {
      problems.push({ field: `${field}.supportHours.end`, reason: 'must be after start' });
    }
  }
  return problems;
}
