/**
 * Pure helpers for the `vigil` command: exit codes, error lines, tables. No I/O here, so each is
 * tested directly (format.test.ts).
 */

/** The exit codes `vigil` promises (README.md). */
export const EXIT = {
  OK: 0,
  /** The API refused the request (other than 401/403), or a server command failed. */
  ERROR: 1,
  /** The command line itself is wrong (commander's usage errors, a malformed VIGIL_URL). */
  USAGE: 2,
  /** Vigil could not be reached at all. */
  UNREACHABLE: 3,
  /** No token, or the API answered 401 UNAUTHORIZED / 403 FORBIDDEN. */
  AUTH: 4,
} as const;

/** A failure a command reports as one stderr line and an exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    details?: { fields?: { field: string; reason: string }[] } & Record<string, unknown>;
    requestId?: string;
  };
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (!value || typeof value !== 'object') return false;
  const error = (value as { error?: unknown }).error;
  return !!error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string' && typeof (error as { message?: unknown }).message === 'string';
}

// C0 and C1 controls (escape sequences included): text from the server must not drive the terminal.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Server-supplied text made safe to print on one table cell or line: no controls, no line breaks. */
export function clean(text: string): string {
  return text.replace(/\s*[\r\n\t]+\s*/g, ' ').replace(CONTROL, '?');
}

/** `CODE field: reason; field: reason (request id)`, or `CODE message (request id)` without fields. */
export function formatApiError(body: ApiErrorBody): string {
  const { code, message, details, requestId } = body.error;
  const fields = Array.isArray(details?.fields) ? details.fields.filter((f) => f && typeof f.field === 'string') : [];
  const what = fields.length ? fields.map((f) => `${f.field}: ${f.reason}`).join('; ') : message;
  return clean(`${code} ${what}${requestId ? ` (request ${requestId})` : ''}`).trim();
}

/** The one line written to stderr for any failure. */
export function errorLine(message: string): string {
  return `vigil: ${clean(message).trim()}\n`;
}

/** HTTP status of an error response → exit code. */
export function exitCodeForStatus(status: number): number {
  return status === 401 || status === 403 ? EXIT.AUTH : EXIT.ERROR;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
};

/** Why fetch failed, in a few words: walks `cause` (and AggregateError's errors) for a known code. */
export function describeFetchFailure(error: unknown): string {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  let fallback: string | undefined;
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, name, message, cause, errors } = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (name === 'TimeoutError') return 'timed out';
    if (typeof code === 'string' && NETWORK_REASONS[code]) return NETWORK_REASONS[code];
    if (typeof message === 'string' && message && message !== 'fetch failed') fallback ??= message;
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return fallback ?? 'the request failed';
}

/** VIGIL_URL / --url, checked and without trailing slashes. */
export function parseBaseUrl(raw: string): string | null {
  try {
    const url = new URL(raw.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.href.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Left-aligned columns separated by two spaces; the header goes through `header` (bold on a TTY).
 * Cells are cleaned of control characters; the last column is not padded. With `maxWidth` (the
 * terminal's), the last column is shortened with "…" so each line fits, keeping at least
 * MIN_LAST_COLUMN characters of it however narrow the terminal.
 */
export function formatTable(headers: string[], rows: string[][], header: (line: string) => string = (s) => s, options: { maxWidth?: number | undefined } = {}): string {
  const cells = rows.map((row) => headers.map((_, i) => clean(row[i] ?? '')));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const last = headers.length - 1;
  if (options.maxWidth !== undefined && last >= 0) {
    const before = widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
    const room = Math.max(MIN_LAST_COLUMN, options.maxWidth - before);
    for (const row of cells) row[last] = truncate(row[last]!, room);
  }
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [header(line(headers)), ...cells.map(line)].join('\n') + '\n';
}

export const MIN_LAST_COLUMN = 20;

/** At most `max` characters (code points, so no emoji is split), the last one "…" when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return max < 1 ? '' : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** `Label:  value` lines with the values aligned. */
export function formatFields(pairs: [string, string][]): string {
  const width = Math.max(0, ...pairs.map(([label]) => label.length + 1));
  return pairs.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${clean(value)}`.trimEnd()).join('\n') + '\n';
}

/** An ISO timestamp from the API as `2026-01-05 09:00 UTC` (`09:00:07` to the second); null as `fallback`. */
export function formatTime(value: string | null | undefined, fallback = '-', precision: 'minute' | 'second' = 'minute'): string {
  if (!value) return fallback;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, precision === 'second' ? 19 : 16)} UTC`;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A point in time given as an ISO 8601 date or date-time (`2026-01-05`, `2026-01-05T09:00`,
 * `2026-01-05T09:00+01:00`; without an offset it is UTC, as the CLI prints times), as an age
 * before `now` (`30m`, `1h`, `2d`, also `s` and `w`), as a time after
 * `now` (`+30m`, `+2d`), or `now`, as the ISO string the API takes. Null when it is none of these.
 */
export function parseWhen(value: string, now: number): string | null {
  const text = value.trim();
  if (/^now$/i.test(text)) return new Date(now).toISOString();
  const age = /^(\+?)(\d{1,9})\s*([smhdw])$/i.exec(text);
  if (age) return new Date(now + (age[1] === '+' ? 1 : -1) * Number(age[2]) * UNIT_MS[age[3]!.toLowerCase()]!).toISOString();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text);
  // Date rolls 2026-02-30 over to March: refuse a day the month does not have.
  const day = m && new Date(`${m[1]}T00:00Z`);
  if (!m || !day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== m[1]) return null;
  const date = new Date(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? 'Z'}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** How long ago an API timestamp was, in its largest whole unit: `45s`, `12m`, `3h`, `2d`. */
export function formatAge(value: string | null | undefined, now: number): string {
  if (!value) return '-';
  const at = new Date(value).getTime();
  if (Number.isNaN(at)) return value;
  const s = Math.max(0, Math.floor((now - at) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** Whether `zone` is an IANA time zone this runtime knows (`Europe/London`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  if (!zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const zonedFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * An ISO timestamp as the wall clock in `zone`: `Mon 2026-03-02 09:00`, with the zone's short name
 * after it when `withZone` (`Mon 2026-03-02 09:00 GMT+1`). null as `fallback`.
 */
export function formatZoned(value: string | null | undefined, zone: string, { withZone = false, fallback = '-' } = {}): string {
  if (!value) return fallback;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  let format = zonedFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    zonedFormats.set(zone, format);
  }
  const part = Object.fromEntries(format.formatToParts(d).map((p) => [p.type, p.value]));
  const text = `${part.weekday} ${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
  return withZone ? `${text} ${part.timeZoneName}` : text;
}

/** A duration in milliseconds as `2d 4h`, `3h 30m`, `45m` (at most two units, rounded down to the minute). */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = d ? [`${d}d`, h ? `${h}h` : ''] : h ? [`${h}h`, m ? `${m}m` : ''] : [`${m}m`];
  return parts.filter(Boolean).join(' ');
}
