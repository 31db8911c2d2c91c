import type { Link, Image, Severity } from './signal.ts';
import type { Urgency } from './urgency.ts';

export type AlertStatus = 'triggered' | 'acknowledged' | 'resolved';

/** An alert as people and scripts see it. */
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
  links: Link[];
  images: Image[];
  client: string | null;
  clientUrl: string | null;
  /** Why nobody was paged: a maintenance window, a silence or an event rule. */
  suppressedBy: Record<string, unknown> | null;
  count: number;
  startedAt: Date;
  createdAt: Date;
  lastSeenAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
}

/** One entry of an alert's log: an event received, or a person's action, and the decision taken. */
export interface AlertEvent {
  id: number;
  at: Date;
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
