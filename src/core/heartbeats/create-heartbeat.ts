import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { conflict, type FieldError, validationError } from '../shared/errors.ts';
import { checkName } from '../users/index.ts';
import { checkInterval, dueAt, type Heartbeat, newHeartbeatKey } from './heartbeat.ts';
import { scheduleCheck } from './schedule-check.ts';
import { findHeartbeat, findHeartbeatIdByName, findServiceName, insertHeartbeat } from './store.ts';

export interface CreateHeartbeatInput {
  serviceId: string;
  name: string;
  intervalSeconds: number;
}

/**
 * Creates a heartbeat in the `pending` state with its ping key, and schedules its first check one
 * interval ahead: a heartbeat that is never pinged alarms too.
 */
export async function createHeartbeat(ctx: Ctx, input: CreateHeartbeatInput): Promise<Heartbeat> {
  authorize(ctx.actor, 'write');
  const name = input.name.trim();
  const problems = [checkName(input.name), checkInterval(input.intervalSeconds)].filter((p): p is FieldError => p !== null);
  if (problems.length) throw validationError(problems);

  return ctx.db.transaction().execute(async (tx) => {
    if (!(await findServiceName(tx, input.serviceId))) throw validationError([{ field: 'serviceId', reason: 'no such service' }]);
    if (await findHeartbeatIdByName(tx, input.serviceId, name)) {
      throw conflict(`This service already has a heartbeat named "${name}".`, { fields: [{ field: 'name', reason: 'is already in use' }] });
    }
    const now = ctx.clock.now();
    const row = await insertHeartbeat(tx, { service_id: input.serviceId, name, key: newHeartbeatKey(), interval_seconds: input.intervalSeconds, now });
    await scheduleCheck(tx, row.id, dueAt({ intervalSeconds: input.intervalSeconds, lastPingAt: null, createdAt: row.created_at }), now);
    await writeAudit(tx, ctx, {
      action: 'heartbeat.create',
      entityType: 'heartbeat',
      entityId: row.id,
      data: { serviceId: input.serviceId, name, intervalSeconds: input.intervalSeconds },
    });
    return (await findHeartbeat(tx, row.id, true))!;
  });
}
