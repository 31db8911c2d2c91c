import type { ColumnType, Generated } from 'kysely';

/** Kysely's view of the tables; kept in step with src/storage/migrations by hand. */
export interface DB {
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  services: ServicesTable;
  integration_keys: IntegrationKeysTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  engine_modules: EngineModulesTable;
  incidents: IncidentsTable;
  alerts: AlertsTable;
  alert_events: AlertEventsTable;
  change_events: ChangeEventsTable;
  maintenance_windows: MaintenanceWindowsTable;
  silences: SilencesTable;
  event_rules: EventRulesTable;
  heartbeats: HeartbeatsTable;
  schedules: SchedulesTable;
  schedule_layer_history: ScheduleLayerHistoryTable;
  schedule_overrides: ScheduleOverridesTable;
  schedule_temporary: ScheduleTemporaryTable;
  shift_swaps: ShiftSwapsTable;
  calendar_feeds: CalendarFeedsTable;
  contact_methods: ContactMethodsTable;
  notification_rules: NotificationRulesTable;
  escalation_policies: EscalationPoliciesTable;
  escalations: EscalationsTable;
  notifications: NotificationsTable;
  notices: NoticesTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  server_secrets: ServerSecretsTable;
}

export type Role = 'admin' | 'responder' | 'observer';
export type TokenScope = 'read' | 'write' | 'admin';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  time_zone: Generated<string>;
  role: Role;
  password_hash: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface TeamsTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  created_at: Date;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  scope: TokenScope;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface ServicesTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  team_id: string | null;
  runbook_url: string | null;
  /** core/alerts AlertGrouping, as JSON. */
  alert_grouping: ColumnType<unknown, string | undefined, string>;
  /** core/alerts UrgencyRule, as JSON; null: the default mapping. */
  urgency_rule: ColumnType<unknown, string | null | undefined, string | null>;
  /** core/escalation: the policy this service pages through; null: it pages nobody. */
  escalation_policy_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
  updated_at: Date;
}

export interface IntegrationKeysTable {
  id: Generated<string>;
  service_id: string;
  key: string;
  name: string;
  created_at: Date;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Date;
  actor_type: 'user' | 'token' | 'system';
  actor_id: string | null;
  actor_name: string | null;
  /** The API token used, when the actor acted through one. */
  token_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  request_id: string | null;
}

/** A pending, running or failed engine job (src/engine). Success deletes the row. */
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  key: string | null;
  payload: ColumnType<unknown, string | undefined, string>;
  run_at: Date;
  priority: Generated<number>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  /** Bumped when a pending job is rescheduled, so a run that started earlier does not delete it. */
  revision: Generated<number>;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  failed_at: Date | null;
  created_at: Date;
}

/** The newest handler-family version any node has registered (goalert's processing lock). */
export interface EngineModulesTable {
  name: string;
  version: number;
  updated_at: Date;
}

type Json<T = unknown> = ColumnType<T, string, string>;
type JsonOrNull<T = unknown> = ColumnType<T | null, string | null | undefined, string | null>;
type AlertStatus = 'triggered' | 'acknowledged' | 'resolved';
type Urgency = 'high' | 'low';

export interface IncidentsTable {
  id: Generated<string>;
  number: ColumnType<number, never, never>;
  service_id: string;
  title: string;
  status: AlertStatus;
  urgency: Urgency;
  group_key: string | null;
  alert_count: Generated<number>;
  created_at: Date;
  updated_at: Date;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
}

export interface AlertsTable {
  id: Generated<string>;
  number: ColumnType<number, never, never>;
  service_id: string;
  incident_id: string | null;
  dedup_key: string;
  status: AlertStatus;
  sender: string;
  summary: string;
  source: string | null;
  severity: 'critical' | 'error' | 'warning' | 'info';
  urgency: Urgency;
  component: string | null;
  grp: string | null;
  class: string | null;
  description: string | null;
  details: Json<Record<string, unknown>>;
  labels: Json<Record<string, string>>;
  group_key: string | null;
  links: Json<{ href: string; text?: string }[]>;
  images: Json<{ src: string; href?: string; alt?: string }[]>;
  client: string | null;
  client_url: string | null;
  suppressed_by: JsonOrNull<Record<string, unknown>>;
  count: Generated<number>;
  started_at: Date;
  created_at: Date;
  last_seen_at: Date;
  updated_at: Date;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
}

export interface AlertEventsTable {
  id: Generated<number>;
  at: Date;
  alert_id: string | null;
  service_id: string | null;
  sender: string;
  action: string;
  decision: 'created' | 'deduplicated' | 'acknowledged' | 'resolved' | 'retriggered' | 'ignored' | 'suppressed' | 'dropped';
  reason: string;
  dedup_key: string | null;
  actor_name: string | null;
  request_id: string | null;
  payload: JsonOrNull;
}

export interface ChangeEventsTable {
  id: Generated<string>;
  service_id: string;
  summary: string;
  source: string | null;
  happened_at: Date;
  received_at: Date;
  details: Json<Record<string, unknown>>;
  links: Json<{ href: string; text?: string }[]>;
}

export interface MaintenanceWindowsTable {
  id: Generated<string>;
  service_id: string;
  description: string;
  starts_at: Date;
  ends_at: Date;
  created_by: string;
  created_at: Date;
}

export interface SilencesTable {
  id: Generated<string>;
  service_id: string | null;
  matchers: Json<{ name: string; op: '=' | '!=' | '=~' | '!~'; value: string }[]>;
  comment: string;
  starts_at: Date;
  ends_at: Date;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface EventRulesTable {
  id: Generated<string>;
  service_id: string | null;
  name: string;
  position: number;
  matchers: Json<{ name: string; op: '=' | '!=' | '=~' | '!~'; value: string }[]>;
  actions: Json<Record<string, unknown>>;
  enabled: Generated<boolean>;
  created_at: Date;
  updated_at: Date;
}

export interface HeartbeatsTable {
  id: Generated<string>;
  service_id: string;
  name: string;
  key: string;
  interval_seconds: number;
  status: 'pending' | 'up' | 'down';
  last_ping_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** core/schedules: `layers` holds the calculator's Layer[] as JSON. */
export interface SchedulesTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  team_id: string | null;
  time_zone: string;
  layers: Json<unknown[]>;
  /** When the current layer definition took effect (the last edit); null: since creation. */
  layers_from: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A layer definition an edit replaced, in force over [valid_from, valid_to). */
export interface ScheduleLayerHistoryTable {
  id: Generated<string>;
  schedule_id: string;
  layers: Json<unknown[]>;
  valid_from: Date | null;
  valid_to: Date;
  created_at: Date;
}

export interface ScheduleOverridesTable {
  id: Generated<string>;
  /** Creation order: later overrides apply on top of earlier ones. */
  seq: ColumnType<number, never, never>;
  schedule_id: string;
  /** null: nobody. */
  user_id: string | null;
  replaces_user_id: string | null;
  starts_at: Date;
  ends_at: Date;
  note: Generated<string>;
  created_by: string | null;
  created_at: Date;
}

export interface ScheduleTemporaryTable {
  id: Generated<string>;
  schedule_id: string;
  starts_at: Date;
  ends_at: Date;
  shifts: Json<{ userId: string; start: string; end: string }[]>;
  note: Generated<string>;
  created_by: string | null;
  created_at: Date;
}

export type ShiftSwapStatus = 'requested' | 'accepted' | 'declined' | 'cancelled';

export interface ShiftSwapsTable {
  id: Generated<string>;
  schedule_id: string;
  requester_id: string;
  /** The person who takes the shift. */
  recipient_id: string;
  starts_at: Date;
  ends_at: Date;
  status: ShiftSwapStatus;
  note: Generated<string>;
  override_id: string | null;
  created_at: Date;
  decided_at: Date | null;
}

/** An iCalendar feed behind a random token (only its SHA-256 is kept). */
export interface CalendarFeedsTable {
  id: Generated<string>;
  user_id: string;
  /** null: the owner's own shifts across every schedule. */
  schedule_id: string | null;
  token_hash: string;
  token_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

/** `slack`: a member or channel id sent through the server's bot; `slack_webhook`: an incoming-webhook URL. */
export type ContactType = 'email' | 'webhook' | 'slack' | 'slack_webhook' | 'teams' | 'sms' | 'voice';

export interface ContactMethodsTable {
  id: Generated<string>;
  user_id: string;
  type: ContactType;
  label: string;
  address: string;
  verified_at: Date | null;
  code_hash: string | null;
  code_expires_at: Date | null;
  code_attempts: Generated<number>;
  code_sent_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface NotificationRulesTable {
  id: Generated<string>;
  user_id: string;
  contact_method_id: string;
  urgency: 'high' | 'low';
  delay_minutes: number;
  created_at: Date;
}
/** core/escalation: `levels` holds the rules' Level[] as JSON. */
export interface EscalationPoliciesTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  team_id: string | null;
  repeat: number;
  levels: Json<unknown[]>;
  /** Minutes an acknowledged incident may stay unresolved before it is triggered again (null: never). */
  ack_timeout_minutes: number | null;
  /** 1 on creation, +1 on every edit. */
  version: Generated<number>;
  created_at: Date;
  updated_at: Date;
}

/** core/escalation: one incident's escalation; `policy` is the PolicySnapshot it runs on. */
export interface EscalationsTable {
  incident_id: string;
  policy: Json<unknown>;
  level: Generated<number>;
  pass: Generated<number>;
  cursors: Json<number[]>;
  next_run_at: Date | null;
  /** Set once the escalation ends; `stop_reason` says why (acknowledged, resolved, completed, paged nobody). */
  stopped_at: Date | null;
  stop_reason: string | null;
  /** Every step taken: `{ at, level, pass, userIds, skipped }` (who was paged, which levels resolved to nobody). */
  steps: ColumnType<EscalationStepLog[], string | undefined, string>;
  /** How often it started again (acknowledgement timed out, reassigned); part of its pages' keys. */
  restarts: Generated<number>;
  created_at: Date;
  updated_at: Date;
}

export interface EscalationStepLog {
  at: string;
  /** The level that fired, or null when every remaining level resolved to nobody ("paged nobody"). */
  level: number | null;
  pass: number | null;
  userIds: string[];
  skipped: { level: number; pass: number; reason: string }[];
  /** Present when a person escalated by hand: who, and the level asked for (null: "escalate now"). */
  manual?: { by: string; requestedLevel: number | null };
  /** Present on the entry that started the escalation again: why, and who (null: the acknowledgement timed out). */
  restart?: { reason: 'ack timeout' | 'reassigned' | 'escalated after it ended'; by: string | null; to?: string };
}

export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';

/** core/escalation: the delivery log; one row per (incident, level, pass, user, method, rule delay). */
export interface NotificationsTable {
  id: Generated<string>;
  incident_id: string;
  level: number;
  pass: number;
  /** Which start of the escalation it belongs to (0: the first; see escalations.restarts). */
  restart: Generated<number>;
  /** Sent within another page's message (bundled through a throttled method): that page's id. */
  bundled_into: string | null;
  user_id: string | null;
  /** null: the person had no notification rule on a verified method (status failed). */
  contact_method_id: string | null;
  delay_minutes: number | null;
  status: NotificationStatus;
  attempts: Generated<number>;
  last_error: string | null;
  idempotency_key: string;
  created_at: Date;
  sent_at: Date | null;
  updated_at: Date;
}

export interface NoticesTable {
  id: Generated<string>;
  user_id: string;
  key: string;
  kind: string;
  subject: string;
  text: string;
  body: Json<Record<string, unknown>>;
  status: 'queued' | 'sent' | 'skipped' | 'failed';
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/** core/webhooks: an outgoing webhook; `service_id` null means every service. */
export interface WebhookSubscriptionsTable {
  id: Generated<string>;
  url: string;
  description: Generated<string>;
  service_id: string | null;
  events: Json<string[]>;
  enabled: Generated<boolean>;
  /** Kept retrievable (not hashed): every delivery is signed with it. */
  secret: string;
  /** The secret before the last rotation, still signed with until `previous_secret_until`. */
  previous_secret: string | null;
  previous_secret_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** core/webhooks: one incident event, with the incident as it was when it happened. */
export interface WebhookEventsTable {
  id: Generated<string>;
  type: string;
  incident_id: string | null;
  service_id: string | null;
  occurred_at: Date;
  incident: JsonOrNull<Record<string, unknown>>;
  data: Json<Record<string, unknown>>;
}

export type WebhookDeliveryStatus = 'queued' | 'sending' | 'delivered' | 'failed';

/** core/webhooks: the delivery log; one row per (event, subscription), plus one per redelivery. */
export interface WebhookDeliveriesTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  subscription_id: string;
  event_id: string;
  redelivery_of: string | null;
  status: WebhookDeliveryStatus;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  response_excerpt: string | null;
  duration_ms: number | null;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Keys the server made for itself (core/action-links); never leave the database except to sign. */
export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: Date;
}
