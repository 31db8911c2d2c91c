import { cancelJob, scheduleJob } from '../../engine/index.ts';
import type { Tx } from '../shared/context.ts';

export const CHECK_KIND = 'heartbeats.check';
export const checkJobKey = (heartbeatId: string): string => `heartbeat:${heartbeatId}`;

export interface CheckPayload {
  heartbeatId: string;
}

/**
 * (Re)schedules the one check of a heartbeat, in the caller's transaction: a ping moves it to the
 * new due time (keyMode 'replace'), so a heartbeat pinged in time never has a check that fires.
 * Many attempts: a check that gave up after a database outage would leave the heartbeat unwatched
 * until its next ping, and the backoff caps at one hour, so 100 attempts cover about four days.
 */
export const scheduleCheck = (tx: Tx, heartbeatId: string, runAt: Date, now: Date) =>
  scheduleJob(tx, {
    kind: CHECK_KIND,
    key: checkJobKey(heartbeatId),
    keyMode: 'replace',
    runAt,
    payload: { heartbeatId } satisfies CheckPayload,
    maxAttempts: 100,
    now,
  });

export const cancelCheck = (tx: Tx, heartbeatId: string) => cancelJob(tx, checkJobKey(heartbeatId));
