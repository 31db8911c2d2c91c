import { applySignals } from '../alerts/index.ts';
import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { cancelCheck } from './schedule-check.ts';
import { resolvedSignal } from './signals.ts';
import { deleteHeartbeat as removeHeartbeat, lockHeartbeat } from './store.ts';

/**
 * Deletes a heartbeat and cancels its check. If it was down, its open alert is resolved in the same
 * transaction: nothing would ever resolve it otherwise.
 */
export async function deleteHeartbeat(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx.actor, 'write');
  await ctx.db.transaction().execute(async (tx) => {
    const heartbeat = await lockHeartbeat(tx, id);
    if (!heartbeat) throw notFound('heartbeat', id);
    const now = ctx.clock.now();
    let resolvedAlertId: string | null = null;
    if (heartbeat.status === 'down') {
      const [result] = await applySignals(tx, now, [
        { target: { serviceId: heartbeat.service_id }, signal: resolvedSignal(heartbeat, 'deleted', now), requestId: ctx.requestId },
      ]);
      if (result?.decision === 'resolved') resolvedAlertId = result.alertId;
    }
    await cancelCheck(tx, id);
    await removeHeartbeat(tx, id);
    await writeAudit(tx, ctx, {
      action: 'heartbeat.delete',
      entityType: 'heartbeat',
      entityId: id,
      data: { serviceId: heartbeat.service_id, name: heartbeat.name, resolvedAlertId },
    });
  });
}
