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
import { charCount, get, isHttpUrl, isObject, parseTimestamp, type Obj } from '../shared/parse.ts';

export const ROUTING_KEY_LENGTH = 32;
export const MAX_DEDUP_KEY_LENGTH = 255;
export const MAX_SUMMARY_LENGTH = 1024;

const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
type EventAction = (typeof EVENT_ACTIONS)[number];

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

  const payload = readPayload(body, errors);
  let summary = '';
  let source: string | null = null;
  let severity: Severity = 'error';
  let timestamp: Date | null = null;
  let component: string | null = null;
  let group: string | null = null;
  let cls: string | null = null;
  let details: Record<string, unknown> = {};
  let customLabels: Array<[string, string]> = [];
  if (payload !== null) {
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

  const payload = readPayload(body, errors);
  let summary = '';
  let source: string | null = null;
  let timestamp: Date | null = null;
  let details: Record<string, unknown> = {};
  if (payload !== null) {
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

/** The payload object; null (with an error) when it is missing or not an object. */
function readPayload(body: Obj, errors: string[]): Obj | null {
  const payload = get(body, 'payload');
  if (payload === undefined || payload === null) errors.push("'payload' is missing or blank");
  else if (!isObject(payload)) errors.push("'payload' must be an object");
  else return payload;
  return null;
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
  const parsed = typeof value === 'string' ? parseTimestamp(value.trim()) : null;
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
  return readObjectList(body, 'links', errors, (item, path): Link | null => {
    const href = requiredString(item, 'href', `${path}.href`, errors);
    const text = optionalString(item, 'text', `${path}.text`, errors);
    if (href === null) return null;
    if (!isHttpUrl(href)) {
      errors.push(`'${path}.href' is invalid (must be an http or https URL)`);
      return null;
    }
    return text === null ? { href } : { href, text };
  });
}

function readImages(body: Obj, errors: string[]): Image[] {
  return readObjectList(body, 'images', errors, (item, path): Image | null => {
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
    if (!ok || src === null) return null;
    const image: Image = { src };
    if (href !== null) image.href = href;
    if (alt !== null) image.alt = alt;
    return image;
  });
}

/**
 * links / images: absent or null is none; otherwise an array of objects, each read by `read` with
 * its path (`links[0]`), which reports its own errors and answers null for an item it refuses.
 */
function readObjectList<T>(body: Obj, key: string, errors: string[], read: (item: Obj, path: string) => T | null): T[] {
  const value = get(body, key);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.push(`'${key}' must be an array`);
    return [];
  }
  const items: T[] = [];
  value.forEach((item: unknown, i) => {
    const path = `${key}[${i}]`;
    if (!isObject(item)) {
      errors.push(`'${path}' must be an object`);
      return;
    }
    const parsed = read(item, path);
    if (parsed !== null) items.push(parsed);
  });
  return items;
}

// --- small helpers (the shared ones are in ../shared/parse.ts) ---

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
