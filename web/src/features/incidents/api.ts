// The incidents API as the web UI uses it: a paged list (newest first, by number) and one incident
// with its alerts and the service's recent change events.
import { api } from '../../app/api.ts';
import type { Alert, AlertLink, AlertStatus, Incident } from '../alerts/api.ts';

export type { Incident } from '../alerts/api.ts';

/** A deploy or config change sent as a PagerDuty change event; shown on incidents, never paged. */
export interface ChangeEvent {
  id: string;
  serviceId: string;
  serviceName: string;
  summary: string;
  source: string | null;
  happenedAt: string;
  receivedAt: string;
  details: Record<string, unknown>;
  links: AlertLink[];
}

export interface IncidentQuery {
  /** Empty: any status. */
  status: AlertStatus[];
  serviceId: string;
}

export interface IncidentPage {
  incidents: Incident[];
  /** Pass back as `before` for the next (older) page; null on the last page. */
  nextCursor: number | null;
}

export interface IncidentDetail {
  incident: Incident;
  alerts: Alert[];
  recentChanges: ChangeEvent[];
}

/** How far back the server looks for changes before an incident opened (see RECENT_CHANGES_HOURS). */
export const RECENT_CHANGES_HOURS = 24;

function listPath(query: IncidentQuery, before: number | null, limit: number): string {
  const params = new URLSearchParams();
  if (query.status.length) params.set('status', query.status.join(','));
  if (query.serviceId) params.set('serviceId', query.serviceId);
  if (before !== null) params.set('before', String(before));
  params.set('limit', String(limit));
  return `/incidents?${params.toString()}`;
}

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

export const incidentsApi = {
  list: (query: IncidentQuery, before: number | null, limit: number, signal?: AbortSignal) =>
    api.get<IncidentPage>(listPath(query, before, limit), opts(signal)),
  get: (ref: string, signal?: AbortSignal) => api.get<IncidentDetail>(`/incidents/${encodeURIComponent(ref)}`, opts(signal)),
};
