import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.ts';
import { applySignals } from '../alerts/index.ts';
import type { Clock } from '../shared/clock.ts';
import { notFound } from '../shared/errors.ts';
import { isWellFormedKey } from './heartbeat.ts';
import { scheduleCheck } from './schedule-check.ts';
import { resolvedSignal } from './signals.ts';
import { lockHeartbeatByKey, recordPing } from './store.ts';

export interface PingResult {
  heartbeatId: string;
  /** The next ping is due by then (now + interval). */
  nextDueAt: Date;
  /** True when this ping ended a miss (the heartbeat was down and its alert was resolved). */
  recovered: boolean;
}

/**
 * A ping from the monitored job. Public: the key is the credential, so there is no actor and no
 * audit row (a ping is not a change anyone made; a recovery is logged on the alert instead).
 * In one transaction: last ping = now, status up, the open alert resolved if the heartbeat was
 * down, and the check moved to now + interval. The caller answers only after this commits.
 */
export async function pingHeartbeat(deps: { db: Kysely<DB>; clock: Clock }, key: string, options: { requestId?: string } = {}): Promise<PingResult> {
  // Anything that cannot be a key is unknown without asking the database.
  if (!isWellFormedKey(key)) throw notFound('heartbeat', key.slice(0, 64));
  return deps.db.transaction().execute(async (tx) => {
    const heartbeat = await lockHeartbeatByKey(tx, key);
    if (!heartbeat) throw notFound('heartbeat', key);
    const now = deps.clock.now();
    const recovered = heartbeat.status === 'down';
    if (recovered) {
      await applySignals(tx, now, [{ target: { serviceId: heartbeat.service_id }, signal: resolvedSignal(heartbeat, 'ping', now), requestId: options.requestId }]);
    }
    await recordPing(tx, heartbeat.id, now);
    const nextDueAt = new Date(now.getTime() + heartbeat.interval_seconds * 1000);
    await scheduleCheck(tx, heartbeat.id, nextDueAt, now);
    return { heartbeatId: heartbeat.id, nextDueAt, recovered };
  });
}
