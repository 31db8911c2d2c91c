import { api } from '../../app/api.ts';

export type AlertStatus = 'triggered' | 'acknowledged' | 'resolved';
export type Severity = 'critical' | 'error' | 'warning' | 'info';
export type Urgency = 'high' | 'low';

export const STATUSES: readonly AlertStatus[] = ['triggered', 'acknowledged', 'resolved'];
export const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

export interface AlertLink {
  href: string;
  text?: string;
}

export interface AlertImage {
  src: string;
  href?: string;
  alt?: string;
}

export interface Alert {
  id: string;
  number: number;
  serviceId: string;
  serviceName: string;
  incidentId: string | null;
  incidentNumber: number | null;
  dedupKey: string;
  status: AlertStatus;
  sender: string;
  summary: string;
  source: string | null;
  severity: Severity;
  urgency: Urgency;
  component: string | null;
  group: string | null;
  class: string | null;
  description: string | null;
  details: Record<string, unknown>;
  labels: Record<string, string>;
  groupKey: string | null;
  links: AlertLink[];
  images: AlertImage[];
  client: string | null;
  clientUrl: string | null;
  /** Why nobody was paged: a maintenance window, a silence or an event rule. */
  suppressedBy: Record<string, unknown> | null;
  count: number;
  startedAt: string;
  createdAt: string;
  lastSeenAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

/** One entry of an alert's log. */
export interface AlertEvent {
  id: number;
  at: string;
  alertId: string | null;
  serviceId: string | null;
  sender: string;
  action: string;
  /** created, deduplicated, acknowledged, resolved, ignored, suppressed or dropped */
  decision: string;
  reason: string;
  dedupKey: string | null;
  actorName: string | null;
  requestId: string | null;
  payload: unknown;
}

export interface Incident {
  id: string;
  number: number;
  serviceId: string;
  serviceName: string;
  title: string;
  status: AlertStatus;
  urgency: Urgency;
  alertCount: number;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

export interface AlertQuery {
  /** Empty: any status. */
  status: AlertStatus[];
  severity: Severity[];
  serviceId: string;
  incidentId: string;
  suppressed: boolean | null;
}

export interface AlertPage {
  alerts: Alert[];
  nextCursor: string | null;
}

export interface Changed {
  changed: Alert[];
  unchanged: Alert[];
}

export type AlertVerb = 'acknowledge' | 'resolve';

function listPath(query: AlertQuery, cursor: string | null, limit: number): string {
  const params = new URLSearchParams();
  if (query.status.length) params.set('status', query.status.join(','));
  if (query.severity.length) params.set('severity', query.severity.join(','));
  if (query.serviceId) params.set('serviceId', query.serviceId);
  if (query.incidentId) params.set('incidentId', query.incidentId);
  if (query.suppressed !== null) params.set('suppressed', String(query.suppressed));
  if (cursor) params.set('cursor', cursor);
  params.set('limit', String(limit));
  return `/alerts?${params.toString()}`;
}

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

export const alertsApi = {
  list: (query: AlertQuery, cursor: string | null, limit: number, signal?: AbortSignal) => api.get<AlertPage>(listPath(query, cursor, limit), opts(signal)),
  get: (ref: string, signal?: AbortSignal) =>
    api.get<{ alert: Alert; events: AlertEvent[]; eventCount: number }>(`/alerts/${encodeURIComponent(ref)}`, opts(signal)),
  change: (ref: string, verb: AlertVerb) => api.post<Changed>(`/alerts/${encodeURIComponent(ref)}/${verb}`, {}),
  changeMany: (ids: string[], verb: AlertVerb) => api.post<Changed>(`/alerts/${verb}`, { ids }),
  incident: (ref: string, signal?: AbortSignal) =>
    api.get<{ incident: Incident; alerts: Alert[] }>(`/incidents/${encodeURIComponent(ref)}`, opts(signal)).then((r) => r.incident),
};

/** The API accepts at most this many alerts in one bulk request. */
export const MAX_BULK = 100;
