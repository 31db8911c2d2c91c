export { checkHeartbeat, type CheckOutcome } from './check-heartbeat.ts';
export { createHeartbeat, type CreateHeartbeatInput } from './create-heartbeat.ts';
export { deleteHeartbeat } from './delete-heartbeat.ts';
export {
  describeInterval,
  HEARTBEAT_KEY_LENGTH,
  type Heartbeat,
  type HeartbeatStatus,
  INTERVAL_MAX_SECONDS,
  INTERVAL_MIN_SECONDS,
} from './heartbeat.ts';
export { heartbeatJobs } from './jobs.ts';
export { listHeartbeats } from './list-heartbeats.ts';
export { pingHeartbeat, type PingResult } from './ping-heartbeat.ts';
export { updateHeartbeat, type UpdateHeartbeatInput } from './update-heartbeat.ts';
