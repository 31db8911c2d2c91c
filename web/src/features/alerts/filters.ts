// The Alerts page's filters live in the URL (?status=…&severity=…&serviceId=…&suppressed=…), so a
// filtered view can be bookmarked and shared. No `status` means the default: open alerts.
import { SEVERITIES, STATUSES } from './api.ts';
import type { AlertQuery, AlertStatus, Severity } from './api.ts';

export const OPEN: readonly AlertStatus[] = ['triggered', 'acknowledged'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pick<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const wanted = new Set(raw.split(',').map((s) => s.trim().toLowerCase()));
  return allowed.filter((value) => wanted.has(value));
}

export function parseFilters(search: string): AlertQuery {
  const params = new URLSearchParams(search);
  const rawStatus = params.get('status');
  let status: AlertStatus[];
  if (rawStatus === null) status = [...OPEN];
  else if (rawStatus === 'any') status = [];
  else {
    status = pick(rawStatus, STATUSES);
    if (status.length === 0) status = [...OPEN];
  }
  const severity: Severity[] = pick(params.get('severity'), SEVERITIES);
  const serviceId = params.get('serviceId') ?? '';
  const incidentId = params.get('incidentId') ?? '';
  const suppressed = params.get('suppressed');
  return {
    status,
    severity,
    serviceId: UUID.test(serviceId) ? serviceId.toLowerCase() : '',
    incidentId: UUID.test(incidentId) ? incidentId.toLowerCase() : '',
    suppressed: suppressed === 'true' ? true : suppressed === 'false' ? false : null,
  };
}

/** The query string for `filters` ("" for the default view), in a stable order. */
export function toSearch(filters: AlertQuery): string {
  const params = new URLSearchParams();
  const status = STATUSES.filter((s) => filters.status.includes(s));
  const isOpen = status.length === OPEN.length && OPEN.every((s) => status.includes(s));
  if (status.length === 0) params.set('status', 'any');
  else if (!isOpen) params.set('status', status.join(','));
  const severity = SEVERITIES.filter((s) => filters.severity.includes(s));
  if (severity.length) params.set('severity', severity.join(','));
  if (filters.serviceId) params.set('serviceId', filters.serviceId);
  if (filters.incidentId) params.set('incidentId', filters.incidentId);
  if (filters.suppressed !== null) params.set('suppressed', String(filters.suppressed));
  const text = params.toString().replace(/%2C/g, ',');
  return text ? `?${text}` : '';
}

/** The filters as the API wants them (every status ticked is the same as none: no status filter). */
export function toApiQuery(filters: AlertQuery): AlertQuery {
  return { ...filters, status: filters.status.length === STATUSES.length ? [] : filters.status };
}
