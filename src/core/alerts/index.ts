export { applySignals, describeSuppression, type Decision, type IngestItem, type IngestResult } from './apply-signals.ts';
export { createIngestor, type Ingestor } from './ingestor.ts';
export { checkMatchers, formatMatchers, MATCH_OPS, type Matcher, matchesAll } from './matchers.ts';
export { type AlertGrouping, checkGrouping } from './grouping.ts';
export { checkRule, type EventRule, type RuleActions } from './event-rules.ts';
export { checkUrgencyRule, DEFAULT_URGENCY, type Urgency, type UrgencyRule, urgencyOf } from './urgency.ts';
export { ALERTS_CHANNEL } from './store.ts';
export {
  type AlertSignal,
  type ChangeSignal,
  emptySignal,
  type Image,
  type Link,
  type ParseResult,
  type Sender,
  SENDERS,
  type Severity,
  SEVERITIES,
} from './signal.ts';
export type { Alert, AlertEvent, AlertStatus } from './alert.ts';
export { listAlerts, type AlertQuery } from './list-alerts.ts';
export { getAlert, parseAlertRef } from './get-alert.ts';
export { acknowledgeAlerts, changeAlertsIn, changeIncidentAlerts, MAX_BULK, resolveAlerts, retriggerIncidentAlerts } from './change-alerts.ts';
export { type ChangeEvent, findChangeEvents, listChangeEvents, recordChange } from './change-events.ts';
export { alertRetentionCron, alertRetentionJobs, alertStatsCron, alertStatsJobs } from './jobs.ts';
export { findRequestOutcome } from './request-outcome.ts';
