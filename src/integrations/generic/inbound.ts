/**
 * Vigil's own event format for curl and scripts (`POST /api/v1/integrations/{key}/events`).
 * Pure: no I/O, no clock. Strict like the rest of our API: unknown fields are refused, naming them.
 * A field sent as null counts as absent. Errors are "<field>: <reason>", one per problem.
 * Field list and mapping: README.md beside this file.
 */
import { emptySignal, SEVERITIES, type AlertSignal, type Link, type ParseResult, type Severity } from '../../core/alerts/signal.ts';
import { charCount, get, httpUrlOrNull, isObject, type Obj } from '../shared/parse.ts';

export const LIMITS = { title: 1024, dedupKey: 255, description: 15_000 } as const;
export const DEFAULT_SEVERITY: Severity = 'error';

const FIELDS = ['title', 'status', 'dedup_key', 'severity', 'description', 'details', 'links', 'source_url', 'source', 'labels'] as const;
const LINK_FIELDS = ['href', 'text'] as const;

export function parseGenericEvent(body: unknown): ParseResult<AlertSignal> {
  if (!isObject(body)) return { ok: false, errors: ['body: must be a JSON object'] };
  const errors: string[] = [];
  for (const key of Object.keys(body)) if (!(FIELDS as readonly string[]).includes(key)) errors.push(`${key}: unknown field`);

  const status = get(body, 'status') ?? 'firing';
  if (status !== 'firing' && status !== 'resolved') errors.push('status: must be one of firing, resolved');
  const resolved = status === 'resolved';

  const title = text(body, 'title', LIMITS.title, errors);
  if (title === null && !resolved && isAbsent(get(body, 'title'))) errors.push('title: is required');
  else if (title === '' && !resolved) errors.push('title: must not be blank');

  // The dedup key is matched exactly: never trimmed.
  const rawKey = get(body, 'dedup_key');
  let dedupKey: string | null = null;
  if (isAbsent(rawKey)) {
    if (resolved) errors.push('dedup_key: is required when status is resolved');
  } else if (typeof rawKey !== 'string') errors.push('dedup_key: must be a string');
  else if (rawKey.trim() === '') errors.push('dedup_key: must not be blank');
  else if (charCount(rawKey) > LIMITS.dedupKey) errors.push(`dedup_key: must be at most ${LIMITS.dedupKey} characters`);
  else dedupKey = rawKey;

  const rawSeverity = get(body, 'severity') ?? DEFAULT_SEVERITY;
  let severity: Severity = DEFAULT_SEVERITY;
  if (typeof rawSeverity === 'string' && (SEVERITIES as readonly string[]).includes(rawSeverity)) severity = rawSeverity as Severity;
  else errors.push(`severity: must be one of ${SEVERITIES.join(', ')}`);

  const description = text(body, 'description', LIMITS.description, errors) || null;
  const source = text(body, 'source', Infinity, errors) || null;

  const rawDetails = get(body, 'details');
  let details: Record<string, unknown> = {};
  if (isObject(rawDetails)) details = { ...rawDetails };
  else if (!isAbsent(rawDetails)) errors.push('details: must be an object');

  const rawLabels = get(body, 'labels');
  const labelEntries: Array<[string, string]> = [];
  if (isObject(rawLabels)) {
    for (const [key, value] of Object.entries(rawLabels)) {
      if (typeof value === 'string') labelEntries.push([key, value]);
      else errors.push(`labels.${key}: must be a string`);
    }
  } else if (!isAbsent(rawLabels)) errors.push('labels: must be an object of strings');

  const links: Link[] = [];
  const rawLinks = get(body, 'links');
  if (Array.isArray(rawLinks)) {
    rawLinks.forEach((item: unknown, i) => {
      const link = readLink(item, `links[${i}]`, errors);
      if (link !== null) links.push(link);
    });
  } else if (!isAbsent(rawLinks)) errors.push('links: must be an array');

  const rawSourceUrl = get(body, 'source_url');
  const clientUrl = httpUrlOrNull(rawSourceUrl);
  if (!isAbsent(rawSourceUrl) && clientUrl === null) errors.push('source_url: must be an http or https URL');

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...emptySignal('generic', resolved ? 'resolve' : 'trigger'),
      dedupKey,
      summary: resolved ? '' : (title ?? ''),
      source,
      severity,
      description,
      details,
      labels: Object.fromEntries(labelEntries),
      links: clientUrl === null ? links : [...links, { href: clientUrl, text: 'Source' }],
      clientUrl,
      raw: body,
    },
  };
}

function readLink(item: unknown, path: string, errors: string[]): Link | null {
  if (!isObject(item)) {
    errors.push(`${path}: must be an object`);
    return null;
  }
  const before = errors.length;
  for (const key of Object.keys(item)) if (!(LINK_FIELDS as readonly string[]).includes(key)) errors.push(`${path}.${key}: unknown field`);
  const rawHref = get(item, 'href');
  const href = httpUrlOrNull(rawHref);
  if (isAbsent(rawHref)) errors.push(`${path}.href: is required`);
  else if (href === null) errors.push(`${path}.href: must be an http or https URL`);
  const linkText = text(item, 'text', Infinity, errors, `${path}.text`);
  if (errors.length > before || href === null) return null;
  return linkText === null || linkText === '' ? { href } : { href, text: linkText };
}

// --- small helpers (the shared ones are in ../shared/parse.ts) ---

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

/**
 * An optional string field, trimmed: null when absent, '' when blank (callers decide), an error
 * when it is not a string or longer than `limit` characters.
 */
function text(obj: Obj, key: string, limit: number, errors: string[], path = key): string | null {
  const value = get(obj, key);
  if (isAbsent(value)) return null;
  if (typeof value !== 'string') {
    errors.push(`${path}: must be a string`);
    return null;
  }
  const trimmed = value.trim();
  if (charCount(trimmed) > limit) {
    errors.push(`${path}: must be at most ${limit} characters`);
    return null;
  }
  return trimmed;
}
