import { defineFamily, type Job } from '../../engine/index.ts';
import { checkHeartbeat } from './check-heartbeat.ts';
import { CHECK_KIND, type CheckPayload } from './schedule-check.ts';

/**
 * One pending `heartbeats.check` job per heartbeat (key `heartbeat:<id>`), due when the next ping
 * is; each ping moves it forward. Register with the engine in the composition root.
 */
export const heartbeatJobs = defineFamily('heartbeats', 1, {
  [CHECK_KIND]: async (job: Job<CheckPayload>, { db, clock }) => {
    await checkHeartbeat({ db, clock }, job.payload.heartbeatId);
  },
});
