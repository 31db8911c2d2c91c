/** What the HTTP API returns (src/http/schemas.ts), as the CLI reads it: dates are ISO strings. */

export interface User {
  id: string;
  email: string;
  name: string;
  timeZone: string;
  role: string;
  createdAt: string;
}

export interface ApiToken {
  id: string;
  name: string;
  scope: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface IntegrationKey {
  id: string;
  name: string;
  /** Null when the reader may not see keys (observers, read-scope tokens). */
  key: string | null;
  keyPreview: string;
  createdAt: string;
}

export interface Service {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  teamName: string | null;
  runbookUrl: string | null;
  createdAt: string;
  updatedAt: string;
  integrationKeys: IntegrationKey[];
}

export const ALERT_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

export interface Alert {
  id: string;
  number: number;
  serviceId: string;
  serviceName: string;
  incidentId: string | null;
  incidentNumber: number | null;
  dedupKey: string;
  status: (typeof ALERT_STATUSES)[number];
  sender: string;
  summary: string;
  source: string | null;
  severity: (typeof SEVERITIES)[number];
  urgency: 'high' | 'low';
  component: string | null;
  group: string | null;
  class: string | null;
  description: string | null;
  details: Record<string, unknown>;
  labels: Record<string, string>;
  groupKey: string | null;
  links: { href: string; text?: string }[];
  images: { src: string; href?: string; alt?: string }[];
  client: string | null;
  clientUrl: string | null;
  /** Why nobody was paged: a maintenance window, a silence or an event rule. Null when it paged. */
  suppressedBy: Record<string, unknown> | null;
  count: number;
  startedAt: string;
  createdAt: string;
  lastSeenAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

/** One entry of an alert's log: an event received (or a person's action) and the decision taken. */
export interface AlertEvent {
  id: number;
  at: string;
  alertId: string | null;
  serviceId: string | null;
  sender: string;
  action: string;
  decision: string;
  reason: string;
  dedupKey: string | null;
  actorName: string | null;
  requestId: string | null;
  payload: unknown;
}

export interface AlertPage {
  alerts: Alert[];
  nextCursor: string | null;
}

export interface AlertDetail {
  alert: Alert;
  events: AlertEvent[];
  eventCount: number;
}

/** Acknowledge / resolve: the alerts changed, and those already in that state (or resolved). */
export interface AlertChange {
  changed: Alert[];
  unchanged: Alert[];
}

/** The generic event endpoint's 202. */
export interface EventAccepted {
  status: string;
  decision: string;
  reason: string;
  dedupKey: string | null;
  alertId: string | null;
  alertNumber: number | null;
  incidentId: string | null;
}
