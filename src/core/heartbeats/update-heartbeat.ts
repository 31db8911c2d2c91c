import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { conflict, type FieldError, notFound, validationError } from '../shared/errors.ts';
import { checkName } from '../users/index.ts';
import { checkInterval, dueAt, type Heartbeat } from './heartbeat.ts';
import { scheduleCheck } from './schedule-check.ts';
import { findHeartbeat, findHeartbeatIdByName, lockHeartbeat, updateHeartbeat as writeHeartbeat } from './store.ts';

export interface UpdateHeartbeatInput {
  name?: string | undefined;
  intervalSeconds?: number | undefined;
}

/**
 * Renames a heartbeat or changes its interval. A new interval moves the pending check to
 * (last ping, or creation) + the new interval; a heartbeat that is down stays down until it is
 * pinged.
 */
export async function updateHeartbeat(ctx: Ctx, id: string, input: UpdateHeartbeatInput): Promise<Heartbeat> {
  authorize(ctx.actor, 'write');
  const set: { name?: string; interval_seconds?: number } = {};
  const problems: (FieldError | null)[] = [];
  if (input.name !== undefined) {
    problems.push(checkName(input.name));
    set.name = input.name.trim();
  }
  if (input.intervalSeconds !== undefined) {
    problems.push(checkInterval(input.intervalSeconds));
    set.interval_seconds = input.intervalSeconds;
  }
  const fieldErrors = problems.filter((p): p is FieldError => p !== null);
  if (fieldErrors.length) throw validationError(fieldErrors);

  return ctx.db.transaction().execute(async (tx) => {
    const current = await lockHeartbeat(tx, id);
    if (!current) throw notFound('heartbeat', id);
    if (set.name && (await findHeartbeatIdByName(tx, current.service_id, set.name, id))) {
      throw conflict(`This service already has a heartbeat named "${set.name}".`, { fields: [{ field: 'name', reason: 'is already in use' }] });
    }
    const now = ctx.clock.now();
    await writeHeartbeat(tx, id, set, now);
    if (set.interval_seconds !== undefined && set.interval_seconds !== current.interval_seconds && current.status !== 'down') {
      const due = dueAt({ intervalSeconds: set.interval_seconds, lastPingAt: current.last_ping_at, createdAt: current.created_at });
      await scheduleCheck(tx, id, due, now);
    }
    await writeAudit(tx, ctx, {
      action: 'heartbeat.update',
      entityType: 'heartbeat',
      entityId: id,
      data: { serviceId: current.service_id, ...(input.name !== undefined ? { name: set.name } : {}), ...(input.intervalSeconds !== undefined ? { intervalSeconds: set.interval_seconds } : {}) },
    });
    return (await findHeartbeat(tx, id, true))!;
  });
}
