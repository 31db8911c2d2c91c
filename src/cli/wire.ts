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

// ——— schedules (src/http/routes/schedules.ts) ———

export interface UserRef {
  id: string;
  name: string;
}

export type ShiftSource = { type: 'layer'; layerId: string } | { type: 'override'; overrideId: string } | { type: 'temporary'; temporaryId: string };

export interface ScheduleLayer {
  id: string;
  name: string;
  participants: string[];
  rotation: { unit: string; length: number };
  handoff: { date: string; time: string; timeZone?: string };
  start: string;
  end?: string;
  restrictions?: unknown[];
}

export interface Gap {
  start: string;
  end: string;
}

export interface ScheduleSummary {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  timeZone: string;
  layers: ScheduleLayer[];
  layersFrom: string | null;
  users: UserRef[];
  createdAt: string;
  updatedAt: string;
  hasGapsNext14Days: boolean;
}

export interface ScheduleDetail extends Omit<ScheduleSummary, 'hasGapsNext14Days'> {
  gaps: Gap[];
  coverage: number;
  horizon: { from: string; to: string };
}

export interface OnCall {
  user: UserRef;
  source: ShiftSource;
}

export interface ScheduleOnCall {
  scheduleId: string;
  at: string;
  onCall: OnCall[];
}

export interface EveryoneOnCall {
  at: string;
  schedules: { schedule: { id: string; name: string }; onCall: OnCall[] }[];
}

export interface Shifts {
  scheduleId: string;
  from: string;
  to: string;
  shifts: { user: UserRef; start: string; end: string; source: ShiftSource }[];
  gaps: Gap[];
  coverage: number;
}

export interface Override {
  id: string;
  scheduleId: string;
  user: UserRef | null;
  replacesUser: UserRef | null;
  start: string;
  end: string;
  note: string;
  createdBy: UserRef | null;
  createdAt: string;
}

export interface Swap {
  id: string;
  scheduleId: string;
  requester: UserRef;
  recipient: UserRef;
  start: string;
  end: string;
  status: 'requested' | 'accepted' | 'declined' | 'cancelled';
  note: string;
  overrideId: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface CalendarFeed {
  id: string;
  kind: 'schedule' | 'user';
  schedule: { id: string; name: string } | null;
  userId: string;
  tokenPreview: string;
  createdAt: string;
}

export interface Incident {
  id: string;
  number: number;
  serviceId: string;
  serviceName: string;
  title: string;
  status: string;
  urgency: string;
  alertCount: number;
  createdAt: string;
  updatedAt?: string;
  acknowledgedAt?: string | null;
  resolvedAt?: string | null;
}

export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;

export interface IncidentPage {
  incidents: Incident[];
  nextCursor: number | null;
}

export interface IncidentDetail {
  incident: Incident;
  alerts: Alert[];
  recentChanges: { id: string; summary: string; timestamp: string }[];
}

export interface IncidentChange {
  incident: Incident;
  changed: Alert[];
}

export interface EscalationStep {
  at: string;
  level: number | null;
  pass: number | null;
  userIds: string[];
  skipped: { level: number; pass: number; reason: string }[];
  manual?: { by: string; requestedLevel: number | null };
  restart?: { reason: string; by: string | null; to?: string };
}

export interface DeliveryLog {
  incidentId: string;
  incidentNumber: number;
  escalation: {
    policy: { id: string | null; name: string; version: number };
    level: number;
    pass: number;
    restarts: number;
    nextRunAt: string | null;
    stoppedAt: string | null;
    stopReason: string | null;
    startedAt: string;
    steps: EscalationStep[];
  } | null;
  notifications: {
    id: string;
    level: number;
    pass: number;
    restart: number;
    user: { id: string; name: string } | null;
    contactMethod: { id: string; type: string; label: string } | null;
    delayMinutes: number | null;
    status: string;
    attempts: number;
    lastError: string | null;
    createdAt: string;
    sentAt: string | null;
  }[];
}

export interface ManualEscalation extends DeliveryLog {
  fired: { level: number; pass: number; userIds: string[] } | null;
  skipped: { level: number; pass: number; reason: string }[];
}

export interface PolicyTarget {
  type: 'user' | 'schedule' | 'team';
  id: string;
  name: string | null;
}

export interface Policy {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  repeat: number;
  ackTimeoutMinutes: number | null;
  version: number;
  levels: { delayMinutes: number; mode: string; targets: PolicyTarget[] }[];
  services: { id: string; name: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface PolicyPreview {
  policyId: string;
  version: number;
  at: string;
  levels: { level: number; delayMinutes: number; mode: string; targets: (PolicyTarget & { users: UserRef[] })[]; users: UserRef[]; skipped: boolean }[];
  timeline: { at: string; level: number | null; pass: number | null; users: UserRef[]; skipped: { level: number; pass: number }[] }[];
}

export interface HandoffShift {
  schedule: { id: string; name: string; timeZone: string };
  start: string;
  end: string;
}

export interface Handoff {
  user: UserRef;
  at: string;
  currentShift: HandoffShift | null;
  nextShift: HandoffShift | null;
  previousShift: HandoffShift | null;
  openIncidents: Incident[];
  incidentsDuringPreviousShift: Incident[];
  maintenanceWindows: { id: string; serviceName: string; description: string; startsAt: string; endsAt: string; state: string }[];
}

export interface ContactMethod {
  id: string;
  userId: string;
  type: 'email' | 'webhook' | 'slack' | 'slack_webhook' | 'teams' | 'sms' | 'voice';
  label: string;
  address: string;
  verified: boolean;
  verifiedAt: string | null;
  createdAt: string;
}

export interface NotificationRule {
  id: string;
  userId: string;
  contactMethodId: string;
  urgency: 'high' | 'low';
  delayMinutes: number;
}

export interface Readiness {
  high: boolean;
  low: boolean;
  problems: string[];
}

export interface Contacts {
  methods: ContactMethod[];
  rules: NotificationRule[];
  readiness: Readiness;
}

export interface ReadinessReport {
  from: string;
  to: string;
  people: { user: { id: string; name: string }; from: string; schedules: { id: string; name: string }[]; readiness: Readiness }[];
}
