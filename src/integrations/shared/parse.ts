/**
 * Small helpers shared by the inbound parsers (pagerduty, opsgenie, alertmanager, generic). Pure:
 * no I/O, no clock, no dependencies. Each parser keeps its own error wording; these helpers never
 * produce an error message themselves.
 */

export type Obj = Record<string, unknown>;

/** A plain JSON object: not null, not an array. */
export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: a body is data, never a path to Object.prototype. */
export function get(obj: Obj, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Length in characters (code points), not UTF-16 units. */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * At most `limit` characters (code points: an emoji is never split in half). When the text is cut
 * and an `ellipsis` is given, it ends the result and counts towards the limit
 * (`cut(s, 1024, '…')` is 1023 characters and "…").
 */
export function cut(s: string, limit: number, ellipsis = ''): string {
  if (s.length <= limit) return s; // never more code points than UTF-16 units
  const keep = limit - charCount(ellipsis);
  let head = '';
  let n = 0;
  for (const ch of s) {
    if (n === limit) return head + ellipsis; // a character beyond the limit: cut
    if (n < keep) head += ch;
    n++;
  }
  return s;
}

/** An absolute http or https URL (https only when `httpsOnly`). */
export function isHttpUrl(value: string, httpsOnly = false): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (!httpsOnly && url.protocol === 'http:');
}

/** A string holding an http(s) URL, trimmed; anything else (not a string, blank, another scheme) is null. */
export function httpUrlOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return isHttpUrl(trimmed) ? trimmed : null;
}

/*
 * Timestamps. Not Luxon's DateTime.fromISO (checked against luxon 3.7): it refuses the space
 * separator ("2024-03-01 10:00Z", which PagerDuty accepts) and accepts what we refuse: an offset of
 * 24 hours ("+2400"), the hour 24 ("T24:00:00"), week and ordinal dates ("2024-W09-5", "2024-061"),
 * the basic format ("20240301T100000Z") and six-digit years; it also refuses a leap second (":60").
 * So one hand-written parser, with two syntaxes that share the same capture groups.
 */

/** ISO 8601 as PagerDuty takes it: a date alone, `T`/`t`/space, optional seconds and fraction (`.` or `,`), `Z`, `±hh`, `±hhmm`, `±hh:mm` or no offset. */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
/** RFC 3339, the subset: date and time with seconds, `.` fraction, and an offset (`Z` or `±hh:mm`), as Go writes it. */
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export type TimestampSyntax = 'iso8601' | 'rfc3339';

/**
 * A date-time as a Date, or null when malformed or out of range (month 13, 30 February, hour 25,
 * an offset of 24 hours). `iso8601` (the default) is the lenient superset; `rfc3339` takes only
 * full RFC 3339 time stamps. Without an offset the time is read as UTC, so the result never depends
 * on the machine's time zone. Fractions of any length (Go writes nanoseconds) are cut to
 * milliseconds; a leap second (:60) is the next second. Years 0000-9999, 0001 included (Go's zero
 * time). The text is taken exactly: callers trim it when they trim their fields.
 */
export function parseTimestamp(text: string, syntax: TimestampSyntax = 'iso8601'): Date | null {
  const m = (syntax === 'rfc3339' ? RFC_3339 : ISO_8601).exec(text);
  if (!m) return null;
  const num = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  const [year, month, day, hour, minute, second] = [num(1), num(2), num(3), num(4), num(5), num(6)] as const;
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  const [offsetHours, offsetMinutes] = [num(10), num(11)];
  if (day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) return null;
  const sign = m[9] === '-' ? -1 : 1;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0-99 to 1900-1999
  date.setUTCHours(hour, minute, second, ms);
  return new Date(date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}
