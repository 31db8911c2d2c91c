// The noise-control API: maintenance windows, silences, event rules and a service's alert settings.
import { api, request } from '../../app/api.ts';
import type { Severity } from '../alerts/api.ts';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export const MATCH_OPS: readonly MatchOp[] = ['=', '!=', '=~', '!~'];

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

export type WindowState = 'upcoming' | 'active' | 'past';
export type SilenceState = 'pending' | 'active' | 'expired';

export interface MaintenanceWindow {
  id: string;
  serviceId: string;
  serviceName: string;
  description: string;
  startsAt: string;
  endsAt: string;
  state: WindowState;
  createdBy: string;
  createdAt: string;
}

export interface Silence {
  id: string;
  serviceId: string | null;
  serviceName: string | null;
  matchers: Matcher[];
  comment: string;
  startsAt: string;
  endsAt: string;
  state: SilenceState;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface RuleActions {
  routeToServiceId?: string;
  severity?: Severity;
  suppress?: boolean;
  drop?: boolean;
}

export interface EventRule {
  id: string;
  serviceId: string | null;
  serviceName: string | null;
  name: string;
  position: number;
  matchers: Matcher[];
  actions: RuleActions;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export type Urgency = 'high' | 'low';

export interface SupportHours {
  timeZone: string;
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  days: number[];
  start: string;
  end: string;
  outsideHours: Urgency;
}

export interface UrgencyRule {
  bySeverity?: Partial<Record<Severity, Urgency>>;
  supportHours?: SupportHours;
}

export type Grouping = { mode: 'none' } | { mode: 'time'; windowMinutes: number } | { mode: 'content'; fields: string[]; windowMinutes: number };

export interface AlertSettings {
  serviceId: string;
  grouping: { mode: string; windowMinutes?: number; fields?: string[] };
  urgencyRule: UrgencyRule | null;
  effectiveUrgency: { bySeverity: Record<Severity, Urgency>; supportHours: SupportHours | null };
}

export interface NewMaintenanceWindow {
  serviceId: string;
  description: string;
  startsAt: string;
  endsAt: string;
}

export interface NewSilence {
  matchers: Matcher[];
  comment: string;
  endsAt: string;
  serviceId: string | null;
}

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});
const windowPath = (id: string) => `/maintenance-windows/${encodeURIComponent(id)}`;
const silencePath = (id: string) => `/silences/${encodeURIComponent(id)}`;

export const noiseApi = {
  windows: (query: { serviceId?: string; state?: WindowState } = {}, signal?: AbortSignal) => {
    const params = new URLSearchParams({ limit: '200' });
    if (query.serviceId) params.set('serviceId', query.serviceId);
    if (query.state) params.set('state', query.state);
    return api.get<{ maintenanceWindows: MaintenanceWindow[] }>(`/maintenance-windows?${params.toString()}`, opts(signal)).then((r) => r.maintenanceWindows);
  },
  createWindow: (input: NewMaintenanceWindow) =>
    api.post<{ maintenanceWindow: MaintenanceWindow }>('/maintenance-windows', input).then((r) => r.maintenanceWindow),
  /** "End now" is an endsAt of the current time. */
  endWindow: (id: string) =>
    api.patch<{ maintenanceWindow: MaintenanceWindow }>(windowPath(id), { endsAt: new Date().toISOString() }).then((r) => r.maintenanceWindow),
  deleteWindow: (id: string) => api.delete(windowPath(id)),

  silences: (signal?: AbortSignal) => api.get<{ silences: Silence[] }>('/silences?limit=200', opts(signal)).then((r) => r.silences),
  createSilence: (input: NewSilence) => api.post<{ silence: Silence }>('/silences', input).then((r) => r.silence),
  expireSilence: (id: string) => api.post<{ silence: Silence }>(`${silencePath(id)}/expire`, {}).then((r) => r.silence),

  eventRules: (signal?: AbortSignal) => api.get<{ eventRules: EventRule[] }>('/event-rules', opts(signal)).then((r) => r.eventRules),
  createEventRule: (input: { name: string; serviceId: string | null; matchers: Matcher[]; actions: RuleActions; position?: number }) =>
    api.post<{ eventRule: EventRule }>('/event-rules', input).then((r) => r.eventRule),
  deleteEventRule: (id: string) => api.delete(`/event-rules/${encodeURIComponent(id)}`),

  alertSettings: (serviceId: string, signal?: AbortSignal) =>
    api.get<{ alertSettings: AlertSettings }>(`/services/${encodeURIComponent(serviceId)}/alert-settings`, opts(signal)).then((r) => r.alertSettings),
  updateAlertSettings: (serviceId: string, input: { grouping: Grouping; urgencyRule: UrgencyRule | null }) =>
    request<{ alertSettings: AlertSettings }>('PUT', `/services/${encodeURIComponent(serviceId)}/alert-settings`, input).then((r) => r.alertSettings),
};
