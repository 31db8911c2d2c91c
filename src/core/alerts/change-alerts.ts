import { writeAudit } from '../shared/audit.ts';
import { actorUserId, authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import type { Alert } from './alert.ts';
import { parseAlertRef } from './get-alert.ts';
import { findAlertByIdOrNumber, findAlerts } from './read-store.ts';
import { insertEvents, notifyAlertsChanged, refreshIncidents, setAlertStatus } from './store.ts';

export const MAX_BULK = 100;

/**
 * A person acknowledges or resolves alerts (one or many). Alerts already in that state (or resolved)
 * are left as they are and reported in `unchanged`; each change is logged on the alert and audited.
 */
export async function changeAlerts(
  ctx: Ctx,
  refs: string[],
  to: 'acknowledged' | 'resolved',
): Promise<{ changed: Alert[]; unchanged: Alert[] }> {
  authorize(ctx.actor, 'write');
  if (refs.length === 0 || refs.length > MAX_BULK) throw validationError([{ field: 'body.ids', reason: `must list 1 to ${MAX_BULK} alerts` }]);
  const parsed = refs.map(parseAlertRef);
  return ctx.db.transaction().execute(async (tx) => {
    const ids: string[] = [];
    for (const [i, ref] of parsed.entries()) {
      const alert = await findAlertByIdOrNumber(tx, ref);
      if (!alert) throw notFound('alert', refs[i]!);
      ids.push(alert.id);
    }
    const now = ctx.clock.now();
    const changed = await setAlertStatus(tx, [...new Set(ids)], to, now);
    const actorName = ctx.actor.type === 'token' ? ctx.actor.userName : ctx.actor.name;
    await insertEvents(
      tx,
      changed.map((a) => ({
        at: now,
        alertId: a.id,
        serviceId: a.service_id,
        sender: 'person',
        action: to === 'acknowledged' ? 'acknowledge' : 'resolve',
        decision: to,
        reason: `${to} by ${actorName}`,
        dedupKey: a.dedup_key,
        actorName,
        requestId: ctx.requestId ?? null,
        payload: null,
      })),
    );
    await refreshIncidents(tx, [...new Set(changed.flatMap((a) => (a.incident_id ? [a.incident_id] : [])))], now);
    for (const a of changed) {
      await writeAudit(tx, ctx, { action: to === 'acknowledged' ? 'alert.acknowledge' : 'alert.resolve', entityType: 'alert', entityId: a.id, data: { number: a.number, by: actorUserId(ctx.actor) } });
    }
    if (changed.length) await notifyAlertsChanged(tx);
    const changedIds = new Set(changed.map((a) => a.id));
    const all = await findAlerts(tx, [...new Set(ids)]);
    return { changed: all.filter((a) => changedIds.has(a.id)), unchanged: all.filter((a) => !changedIds.has(a.id)) };
  });
}

export const acknowledgeAlerts = (ctx: Ctx, refs: string[]) => changeAlerts(ctx, refs, 'acknowledged');
export const resolveAlerts = (ctx: Ctx, refs: string[]) => changeAlerts(ctx, refs, 'resolved');
