// The Incidents page's filters live in the URL, so a view can be bookmarked and shared:
// no `status` means open incidents (triggered or acknowledged), `?status=all` means every incident;
// `serviceId` narrows it to one service.
import type { AlertStatus } from '../alerts/api.ts';
import type { IncidentQuery } from './api.ts';

export type Show = 'open' | 'all';

export interface IncidentFilters {
  show: Show;
  serviceId: string;
}

const OPEN: readonly AlertStatus[] = ['triggered', 'acknowledged'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseFilters(search: string): IncidentFilters {
  const params = new URLSearchParams(search);
  const serviceId = params.get('serviceId') ?? '';
  return {
    show: params.get('status') === 'all' ? 'all' : 'open',
    serviceId: UUID.test(serviceId) ? serviceId.toLowerCase() : '',
  };
}

/** The query string for `filters` ("" for the default view: open incidents of every service). */
export function toSearch(filters: IncidentFilters): string {
  const params = new URLSearchParams();
  if (filters.show === 'all') params.set('status', 'all');
  if (filters.serviceId) params.set('serviceId', filters.serviceId);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function toApiQuery(filters: IncidentFilters): IncidentQuery {
  return { status: filters.show === 'open' ? [...OPEN] : [], serviceId: filters.serviceId };
}
