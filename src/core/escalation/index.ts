export {
  checkPolicy,
  LEVEL_MODES,
  type Level,
  type LevelMode,
  MAX_DELAY_MINUTES,
  MAX_LEVELS,
  MAX_REPEAT,
  MAX_TARGETS,
  type Policy,
  type PolicyRules,
  type PolicySnapshot,
  snapshotOf,
  type Target,
  TARGET_TYPES,
  type TargetType,
  targetKey,
} from './policy.ts';
export {
  allTargets,
  type EscalationState,
  escalateTo,
  type Firing,
  initialState,
  levelCandidates,
  manualState,
  nextStep,
  type Resolved,
  simulate,
  type Skip,
  type Step,
} from './next-step.ts';
export { createPolicy, type CreatePolicyInput, type LevelInput } from './create-policy.ts';
export { deletePolicy } from './delete-policy.ts';
export { getPolicy } from './get-policy.ts';
export { listPolicies } from './list-policies.ts';
export { type PolicyPreview, previewPolicy } from './preview-policy.ts';
export { resolveTargets } from './resolve-targets.ts';
export { type ServicePolicy, setServicePolicy } from './set-service-policy.ts';
export { snapshotForService, snapshotPolicy } from './snapshot-policy.ts';
export { reassignmentSnapshot } from './policy.ts';
export { updatePolicy } from './update-policy.ts';
export type { LevelView, PolicyView, Ref, TargetView } from './views.ts';
export { type DeliveryLog, deliveryLogOf, listNotifications } from './list-notifications.ts';
export { escalateIncident, type ManualEscalation } from './escalate-incident.ts';
export { notifyJobs, type PageBody } from './notify.ts';
export {
  ACK_TIMEOUT,
  type AckTimeoutPayload,
  ackTimeoutKey,
  ESCALATION_DUE,
  escalationJobs,
  escalationKey,
  fireStep,
  idempotencyKey,
  NO_USABLE_RULE,
  NOTIFY_MAX_ATTEMPTS,
  NOTIFY_SEND,
  notifyKey,
  restartEscalation,
  runEscalationStep,
  startEscalations,
  stopEscalations,
} from './paging.ts';
export { findStalled, type Stalled } from './find-stalled.ts';
