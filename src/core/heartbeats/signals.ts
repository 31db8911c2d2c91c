import { type AlertSignal, emptySignal } from '../alerts/index.ts';
import { describeInterval, heartbeatDedupKey } from './heartbeat.ts';

interface Subject {
  id: string;
  name: string;
  intervalSeconds: number;
  lastPingAt: Date | null;
}

/** The alert a late heartbeat raises: critical, started when the ping was due. */
export function missedSignal(h: Subject, due: Date, now: Date): AlertSignal {
  const interval = describeInterval(h.intervalSeconds);
  const lastPing = h.lastPingAt?.toISOString() ?? null;
  return {
    ...emptySignal('heartbeat', 'trigger'),
    dedupKey: heartbeatDedupKey(h.id),
    summary: `Heartbeat "${h.name}" missed: no ping for ${interval}`,
    severity: 'critical',
    source: 'vigil',
    timestamp: due,
    description: `The heartbeat "${h.name}" expects a ping at least every ${interval}. ${
      lastPing ? `The last ping arrived at ${lastPing}` : 'It has never been pinged'
    }; one was due by ${due.toISOString()}.`,
    details: { heartbeatId: h.id, intervalSeconds: h.intervalSeconds, lastPingAt: lastPing, dueAt: due.toISOString() },
    labels: { heartbeat: h.name },
    raw: { heartbeatId: h.id, name: h.name, intervalSeconds: h.intervalSeconds, lastPingAt: lastPing, dueAt: due.toISOString(), checkedAt: now.toISOString() },
  };
}

/** Resolves the heartbeat's open alert: on the ping that ends a miss, or when the heartbeat is deleted. */
export function resolvedSignal(h: Pick<Subject, 'id' | 'name'>, reason: 'ping' | 'deleted', now: Date): AlertSignal {
  return {
    ...emptySignal('heartbeat', 'resolve'),
    dedupKey: heartbeatDedupKey(h.id),
    source: 'vigil',
    labels: { heartbeat: h.name },
    raw: { heartbeatId: h.id, name: h.name, reason, at: now.toISOString() },
  };
}
