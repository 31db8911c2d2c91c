import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.ts';
import { applySignals } from '../alerts/index.ts';
import type { Clock } from '../shared/clock.ts';
import { decideCheck } from './heartbeat.ts';
import { scheduleCheck } from './schedule-check.ts';
import { missedSignal } from './signals.ts';
import { lockHeartbeat, markDown } from './store.ts';

export type CheckOutcome = 'gone' | 'already-down' | 'alarmed' | 'rescheduled';

/**
 * The engine's check of one heartbeat. Re-reads the heartbeat under its row lock, so it is
 * idempotent and races safely with pings: gone → nothing; down already → nothing (the next ping
 * resolves and reschedules); late → down and a critical alert; pinged meanwhile → check again
 * when the next ping is due.
 */
export async function checkHeartbeat(deps: { db: Kysely<DB>; clock: Clock }, heartbeatId: string): Promise<CheckOutcome> {
  return deps.db.transaction().execute(async (tx) => {
    const h = await lockHeartbeat(tx, heartbeatId);
    if (!h) return 'gone';
    const now = deps.clock.now();
    const subject = { id: h.id, name: h.name, intervalSeconds: h.interval_seconds, lastPingAt: h.last_ping_at };
    const decision = decideCheck({ ...subject, status: h.status, createdAt: h.created_at }, now);
    switch (decision.action) {
      case 'none':
        return 'already-down';
      case 'wait':
        await scheduleCheck(tx, h.id, decision.until, now);
        return 'rescheduled';
      case 'alarm':
        await markDown(tx, h.id);
        await applySignals(tx, now, [{ target: { serviceId: h.service_id }, signal: missedSignal(subject, decision.dueAt, now) }]);
        return 'alarmed';
    }
  });
}
