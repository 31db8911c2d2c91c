/**
 * Prometheus Alertmanager webhook (payload version "4"), inbound: one notification carries a group
 * of alerts; each becomes one signal. Pure: no I/O, no clock.
 *
 * Lenient where Alertmanager itself varies (unknown fields such as notification_reason or
 * routeLabels, a missing version, a missing fingerprint, an unusable URL are all fine), strict only
 * where the payload cannot be an Alertmanager one (another version, no alerts list, wrongly typed
 * labels). Field mapping and choices: README.md beside this file.
 */
import { Buffer } from 'node:buffer';
import { emptySignal, type AlertSignal, type Link, type ParseResult, type Severity } from '../../core/alerts/signal.ts';
import { cut, get, httpUrlOrNull, isObject, parseTimestamp, type Obj } from '../shared/parse.ts';

export const MAX_SUMMARY_LENGTH = 1024;
export const DEFAULT_SEVERITY: Severity = 'error';
const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * labels.severity (trimmed, any case) → our severity. Anything else, or no severity label, is
 * DEFAULT_SEVERITY: an alert someone routed to a pager is worth a page, but not a critical one.
 */
export const SEVERITY_ALIASES: Readonly<Record<string, Severity>> = {
  critical: 'critical',
  crit: 'critical',
  page: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  p1: 'critical',
  error: 'error',
  err: 'error',
  high: 'error',
  major: 'error',
  p2: 'error',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  minor: 'warning',
  p3: 'warning',
  info: 'info',
  informational: 'info',
  notice: 'info',
  low: 'info',
  none: 'info',
  p4: 'info',
  p5: 'info',
};

export function parseAlertmanagerWebhook(body: unknown): ParseResult<AlertSignal[]> {
  if (!isObject(body)) return { ok: false, errors: ['payload: must be a JSON object (an Alertmanager webhook notification)'] };
  const errors: string[] = [];

  const version = get(body, 'version');
  if (version !== undefined && version !== null && version !== '4' && version !== 4)
    errors.push(`version: webhook payload version ${JSON.stringify(version)} is not supported (only "4")`);

  const rawGroupKey = get(body, 'groupKey');
  let groupKey: string | null = null;
  if (typeof rawGroupKey === 'string') groupKey = rawGroupKey === '' ? null : rawGroupKey;
  else if (rawGroupKey !== undefined && rawGroupKey !== null) errors.push('groupKey: must be a string');

  const externalURL = httpUrlOrNull(get(body, 'externalURL'));
  const groupStatus = get(body, 'status');

  const alerts = get(body, 'alerts');
  if (alerts === undefined || alerts === null) errors.push('alerts: missing (expected a list of alerts)');
  else if (!Array.isArray(alerts)) errors.push('alerts: must be a list');
  if (errors.length > 0 || !Array.isArray(alerts)) return { ok: false, errors };

  // Each signal's raw is the group without the other alerts, plus its own alert.
  const group = Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'alerts'));

  const signals: AlertSignal[] = [];
  alerts.forEach((alert: unknown, i) => {
    const path = `alerts[${i}]`;
    if (!isObject(alert)) {
      errors.push(`${path}: must be an object`);
      return;
    }
    const before = errors.length;

    const rawStatus = get(alert, 'status') ?? groupStatus;
    if (rawStatus !== 'firing' && rawStatus !== 'resolved') errors.push(`${path}.status: must be "firing" or "resolved", got ${JSON.stringify(rawStatus ?? null)}`);

    const labels = stringMap(alert, 'labels', path, errors);
    const annotations = stringMap(alert, 'annotations', path, errors);
    const startsAt = readTime(alert, 'startsAt', path, errors);
    const endsAt = readTime(alert, 'endsAt', path, errors);

    const rawFingerprint = get(alert, 'fingerprint');
    if (rawFingerprint !== undefined && rawFingerprint !== null && typeof rawFingerprint !== 'string') errors.push(`${path}.fingerprint: must be a string`);
    if (errors.length > before) return;

    const action = rawStatus === 'resolved' ? 'resolve' : 'trigger';
    const fingerprint = typeof rawFingerprint === 'string' && rawFingerprint.trim() !== '' ? rawFingerprint : labelsFingerprint(labels);
    const generatorURL = httpUrlOrNull(get(alert, 'generatorURL'));
    const runbookURL = httpUrlOrNull(annotations.runbook_url);

    const links: Link[] = [];
    if (generatorURL !== null) links.push({ href: generatorURL, text: 'Source' });
    if (runbookURL !== null) links.push({ href: runbookURL, text: 'Runbook' });
    if (externalURL !== null) links.push({ href: externalURL, text: 'Alertmanager' });

    const details: Record<string, unknown> = { ...annotations };
    if (endsAt !== null) details.endsAt = endsAt.text;

    signals.push({
      ...emptySignal('alertmanager', action),
      dedupKey: fingerprint,
      summary: action === 'trigger' ? summaryOf(labels, annotations) : '',
      source: nonEmpty(labels.instance) ?? nonEmpty(labels.job),
      severity: severityOf(labels.severity),
      timestamp: startsAt?.date ?? null,
      description: nonEmpty(annotations.description),
      details,
      labels,
      groupKey,
      links,
      client: 'Alertmanager',
      clientUrl: generatorURL ?? externalURL,
      raw: { ...group, alert },
    });
  });

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: signals };
}

/**
 * The title: "[alertname] text", where text is the first line of annotations.summary, else of
 * annotations.message (older kube-prometheus rules), else of annotations.description. Without
 * text it is the alertname alone, and without either "Alertmanager alert". Cut to 1024 characters.
 */
export function summaryOf(labels: Record<string, string>, annotations: Record<string, string>): string {
  const alertname = nonEmpty(labels.alertname);
  const text = firstLine(annotations.summary) ?? firstLine(annotations.message) ?? firstLine(annotations.description);
  const title = text === null ? (alertname ?? 'Alertmanager alert') : alertname === null ? text : `[${alertname}] ${text}`;
  return cut(title, MAX_SUMMARY_LENGTH, '…');
}

export function severityOf(label: string | undefined): Severity {
  if (label === undefined) return DEFAULT_SEVERITY;
  const key = label.trim().toLowerCase();
  return Object.hasOwn(SEVERITY_ALIASES, key) ? SEVERITY_ALIASES[key]! : DEFAULT_SEVERITY;
}

/**
 * The key for an alert sent without a fingerprint: computed the way Alertmanager computes its
 * fingerprints (prometheus/common model.LabelSet.Fingerprint): 64-bit FNV-1a over the label names
 * sorted by their bytes, each name and value followed by the byte 0xff, written as 16 hex digits.
 * So the same labels give the same key whether or not a fingerprint was sent, and label order
 * never matters. An alert without labels gets cbf29ce484222325 (the FNV offset basis).
 */
export function labelsFingerprint(labels: Record<string, string>): string {
  const names = Object.keys(labels)
    .map((name) => ({ name, bytes: Buffer.from(name, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  let hash = 0xcbf29ce484222325n;
  const add = (bytes: Uint8Array) => {
    for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  };
  const separator = Uint8Array.of(0xff);
  for (const { name, bytes } of names) {
    add(bytes);
    add(separator);
    add(Buffer.from(labels[name]!, 'utf8'));
    add(separator);
  }
  return hash.toString(16).padStart(16, '0');
}

// --- small helpers (the shared ones are in ../shared/parse.ts) ---

/** labels / annotations: an object of strings (absent or null is empty). */
function stringMap(alert: Obj, key: string, path: string, errors: string[]): Record<string, string> {
  const value = get(alert, key);
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    errors.push(`${path}.${key}: must be an object of strings`);
    return {};
  }
  const entries: Array<[string, string]> = [];
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === 'string') entries.push([name, v]);
    else errors.push(`${path}.${key}.${name}: must be a string`);
  }
  return Object.fromEntries(entries);
}

/** startsAt / endsAt: absent, empty and Go's zero time all mean "not set". */
function readTime(alert: Obj, key: string, path: string, errors: string[]): { date: Date; text: string } | null {
  const value = get(alert, key);
  if (value === undefined || value === null || value === '') return null;
  const date = typeof value === 'string' ? parseTimestamp(value, 'rfc3339') : null;
  if (date === null || typeof value !== 'string') {
    errors.push(`${path}.${key}: not an RFC 3339 time: ${JSON.stringify(value)}`);
    return null;
  }
  if (value === ZERO_TIME || date.getTime() === ZERO_DATE) return null;
  return { date, text: value };
}

const ZERO_DATE = parseTimestamp(ZERO_TIME, 'rfc3339')!.getTime();

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function firstLine(value: string | undefined): string | null {
  if (value === undefined) return null;
  for (const line of value.split('\n')) if (line.trim() !== '') return line.trim();
  return null;
}
