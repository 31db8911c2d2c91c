/**
 * PagerDuty Events API v2, inbound: alert events (`POST /v2/enqueue`) and change events
 * (`POST /v2/change/enqueue`) parsed into signals. Pure: no I/O, no clock.
 *
 * Error strings follow PagerDuty's own wording ("'payload.summary' is missing or blank",
 * "Length of 'routing_key' is incorrect (should be 32 characters)"), one per problem. Fields we do
 * not know are accepted and ignored, as PagerDuty does. See README.md beside this file.
 */
import {
  emptySignal,
  SEVERITIES,
  type AlertSignal,
  type ChangeSignal,
  type Image,
  type Link,
  type ParseResult,
  type Severity,
} from '../../core/alerts/signal.ts';

export const ROUTING_KEY_LENGTH = 32;
export const MAX_DEDUP_KEY_LENGTH = 255;
export const MAX_SUMMARY_LENGTH = 1024;

const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
type EventAction = (typeof EVENT_ACTIONS)[number];

type Obj = Record<string, unknown>;

/** An alert event (trigger, acknowledge or resolve). */
export function parsePagerDutyEvent(body: unknown): ParseResult<{ routingKey: string; signal: AlertSignal }> {
  if (!isObject(body)) return { ok: false, errors: ['Event object is invalid (must be a JSON object)'] };
  const errors: string[] = [];

  const routingKey = readRoutingKey(body, errors);

  const rawAction = get(body, 'event_action');
  let action: EventAction | null = null;
  if (isBlank(rawAction)) errors.push("'event_action' is missing or blank");
  else if (typeof rawAction === 'string' && (EVENT_ACTIONS as readonly string[]).includes(rawAction)) action = rawAction as EventAction;
  else errors.push("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')");

  // The dedup key is matched exactly, so it is never trimmed; a blank one counts as absent.
  const rawDedup = get(body, 'dedup_key');
  let dedupKey: string | null = null;
  if (rawDedup !== undefined && rawDedup !== null) {
    if (typeof rawDedup !== 'string') errors.push("'dedup_key' must be a string");
    else if (charCount(rawDedup) > MAX_DEDUP_KEY_LENGTH)
      errors.push(`Length of 'dedup_key' is too long (maximum is ${MAX_DEDUP_KEY_LENGTH} characters)`);
    else if (rawDedup.trim() !== '') dedupKey = rawDedup;
  }
  if ((action === 'acknowledge' || action === 'resolve') && isBlank(rawDedup)) errors.push("'dedup_key' is missing or blank");

  // Acknowledge and resolve carry only the key: PagerDuty ignores their payload, links and images.
  if (action !== 'trigger') {
    if (errors.length > 0 || action === null) return { ok: false, errors };
    return { ok: true, value: { routingKey, signal: { ...emptySignal('pagerduty', action), dedupKey, raw: body } } };
  }

  const payload = get(body, 'payload');
  let summary = '';
  let source: string | null = null;
  let severity: Severity = 'error';
  let timestamp: Date | null = null;
  let component: string | null = null;
  let group: string | null = null;
  let cls: string | null = null;
  let details: Record<string, unknown> = {};
  let customLabels: Array<[string, string]> = [];
  if (payload === undefined || payload === null) {
    errors.push("'payload' is missing or blank");
  } else if (!isObject(payload)) {
    errors.push("'payload' must be an object");
  } else {
    summary = readSummary(payload, errors);
    source = requiredString(payload, 'source', 'payload.source', errors);
    const rawSeverity = get(payload, 'severity');
    if (isBlank(rawSeverity)) errors.push("'payload.severity' is missing or blank");
    else if (typeof rawSeverity === 'string' && (SEVERITIES as readonly string[]).includes(rawSeverity)) severity = rawSeverity as Severity;
    else errors.push("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')");
    timestamp = readTimestamp(payload, errors);
    component = optionalString(payload, 'component', 'payload.component', errors);
    group = optionalString(payload, 'group', 'payload.group', errors);
    cls = optionalString(payload, 'class', 'payload.class', errors);
    ({ details, labels: customLabels } = readCustomDetails(payload));
  }

  const links = readLinks(body, errors);
  const images = readImages(body, errors);
  const client = optionalString(body, 'client', 'client', errors);
  const clientUrl = optionalString(body, 'client_url', 'client_url', errors);
  if (clientUrl !== null && !isHttpUrl(clientUrl)) errors.push("'client_url' is invalid (must be an http or https URL)");

  if (errors.length > 0) return { ok: false, errors };

  // Labels: custom_details' top-level scalars first, then the payload's own fields, which win.
  const fixed: Array<[string, string]> = [['severity', severity]];
  if (source !== null) fixed.push(['source', source]);
  if (component !== null) fixed.push(['component', component]);
  if (group !== null) fixed.push(['group', group]);
  if (cls !== null) fixed.push(['class', cls]);

  const signal: AlertSignal = {
    ...emptySignal('pagerduty', 'trigger'),
    dedupKey,
    summary,
    source,
    severity,
    timestamp,
    component,
    group,
    class: cls,
    details,
    labels: Object.fromEntries([...customLabels, ...fixed]),
    links,
    images,
    client,
    clientUrl,
    raw: body,
  };
  return { ok: true, value: { routingKey, signal } };
}

/** A change event (a deploy, a configuration change): never pages. */
export function parsePagerDutyChange(body: unknown): ParseResult<{ routingKey: string; change: ChangeSignal }> {
  if (!isObject(body)) return { ok: false, errors: ['Event object is invalid (must be a JSON object)'] };
  const errors: string[] = [];
  const routingKey = readRoutingKey(body, errors);

  const payload = get(body, 'payload');
  let summary = '';
  let source: string | null = null;
  let timestamp: Date | null = null;
  let details: Record<string, unknown> = {};
  if (payload === undefined || payload === null) {
    errors.push("'payload' is missing or blank");
  } else if (!isObject(payload)) {
    errors.push("'payload' must be an object");
  } else {
    summary = readSummary(payload, errors);
    source = optionalString(payload, 'source', 'payload.source', errors);
    timestamp = readTimestamp(payload, errors);
    details = readCustomDetails(payload).details;
  }
  const links = readLinks(body, errors);

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { routingKey, change: { summary, source, timestamp, details, links, raw: body } } };
}

// --- fields shared by both event kinds ---

function readRoutingKey(body: Obj, errors: string[]): string {
  const value = get(body, 'routing_key');
  if (isBlank(value)) {
    errors.push("'routing_key' is missing or blank");
    return '';
  }
  if (typeof value !== 'string') {
    errors.push("'routing_key' must be a string");
    return '';
  }
  if (charCount(value) !== ROUTING_KEY_LENGTH) {
    errors.push(`Length of 'routing_key' is incorrect (should be ${ROUTING_KEY_LENGTH} characters)`);
    return '';
  }
  return value;
}

function readSummary(payload: Obj, errors: string[]): string {
  const summary = requiredString(payload, 'summary', 'payload.summary', errors);
  if (summary === null) return '';
  if (charCount(summary) > MAX_SUMMARY_LENGTH) {
    errors.push(`Length of 'payload.summary' is too long (maximum is ${MAX_SUMMARY_LENGTH} characters)`);
    return '';
  }
  return summary;
}

function readTimestamp(payload: Obj, errors: string[]): Date | null {
  const value = get(payload, 'timestamp');
  if (value === undefined || value === null) return null;
  const parsed = typeof value === 'string' ? parseIsoTimestamp(value) : null;
  if (parsed === null) errors.push("'payload.timestamp' is invalid (must be an ISO 8601 timestamp)");
  return parsed;
}

/**
 * custom_details may be any JSON value. An object becomes the details as is; any other value is
 * kept under details.details. The object's top-level strings, numbers and booleans also become
 * labels (as strings) so silences and event rules can match them.
 */
function readCustomDetails(payload: Obj): { details: Record<string, unknown>; labels: Array<[string, string]> } {
  const value = get(payload, 'custom_details');
  if (value === undefined || value === null) return { details: {}, labels: [] };
  if (!isObject(value)) return { details: { details: value }, labels: [] };
  const labels: Array<[string, string]> = [];
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) labels.push([key, String(v)]);
  }
  return { details: { ...value }, labels };
}

function readLinks(body: Obj, errors: string[]): Link[] {
  const value = get(body, 'links');
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.push("'links' must be an array");
    return [];
  }
  const links: Link[] = [];
  value.forEach((item: unknown, i) => {
    const path = `links[${i}]`;
    if (!isObject(item)) {
      errors.push(`'${path}' must be an object`);
      return;
    }
    const href = requiredString(item, 'href', `${path}.href`, errors);
    const text = optionalString(item, 'text', `${path}.text`, errors);
    if (href === null) return;
    if (!isHttpUrl(href)) {
      errors.push(`'${path}.href' is invalid (must be an http or https URL)`);
      return;
    }
    links.push(text === null ? { href } : { href, text });
  });
  return links;
}

function readImages(body: Obj, errors: string[]): Image[] {
  const value = get(body, 'images');
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.push("'images' must be an array");
    return [];
  }
  const images: Image[] = [];
  value.forEach((item: unknown, i) => {
    const path = `images[${i}]`;
    if (!isObject(item)) {
      errors.push(`'${path}' must be an object`);
      return;
    }
    const src = requiredString(item, 'src', `${path}.src`, errors);
    const href = optionalString(item, 'href', `${path}.href`, errors);
    const alt = optionalString(item, 'alt', `${path}.alt`, errors);
    let ok = src !== null;
    if (src !== null && !isHttpUrl(src, true)) {
      errors.push(`'${path}.src' is invalid (must be an https URL)`);
      ok = false;
    }
    if (href !== null && !isHttpUrl(href)) {
      errors.push(`'${path}.href' is invalid (must be an http or https URL)`);
      ok = false;
    }
    if (!ok || src === null) return;
    const image: Image = { src };
    if (href !== null) image.href = href;
    if (alt !== null) image.alt = alt;
    images.push(image);
  });
  return images;
}

// --- small helpers (kept local: parsers import only signal.ts) ---

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: a body is data, never a path to Object.prototype. */
function get(obj: Obj, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A required non-blank string, trimmed; null (with an error) when missing, blank or not a string. */
function requiredString(obj: Obj, key: string, path: string, errors: string[]): string | null {
  const value = get(obj, key);
  if (isBlank(value)) {
    errors.push(`'${path}' is missing or blank`);
    return null;
  }
  if (typeof value !== 'string') {
    errors.push(`'${path}' must be a string`);
    return null;
  }
  return value.trim();
}

/** An optional string, trimmed; absent, null and blank are all null. */
function optionalString(obj: Obj, key: string, path: string, errors: string[]): string | null {
  const value = get(obj, key);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    errors.push(`'${path}' must be a string`);
    return null;
  }
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Length in characters (code points), not UTF-16 units. */
function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function isHttpUrl(value: string, httpsOnly = false): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (!httpsOnly && url.protocol === 'http:');
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * An ISO 8601 / RFC 3339 date-time ("2015-07-17T08:42:58.315+0000", "2024-03-01T10:00:00Z",
 * nanosecond fractions, a date alone). Without an offset it is read as UTC, so the result never
 * depends on the machine's time zone. Null when malformed or out of range (month 13, 30 February).
 */
function parseIsoTimestamp(text: string): Date | null {
  const m = ISO_8601.exec(text.trim());
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
