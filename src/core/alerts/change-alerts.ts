import { writeAudit } from '../shared/audit.ts';
import { actorUserId, authorize, type Ctx, type Tx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import type { Alert } from './alert.ts';
import { parseAlertRef } from './get-alert.ts';
import { findAlertByIdOrNumber, findAlerts } from './read-store.ts';
import {
  findIncidentAlertsForUpdate,
  insertEvents,
  notifyAlertsChanged,
  refreshIncidents,
  retriggerIncidentRow,
  setAlertStatus,
  untriggerAcknowledged,
} from './store.ts';

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
    return changeAlertsIn(tx, ctx, ids, to);
  });
}

/**
 * The change itself, in the caller's transaction (the alert verbs above, and the incident verbs
 * through this domain's index): sets the status of the alerts not already in it, logs each change
 * on the alert as the person's action (`via` adds where it came from, e.g. "incident #12"),
 * recomputes their incidents (which stops escalations) and audits each alert. The caller has
 * authorized and found the ids.
 */
export async function changeAlertsIn(
  tx: Tx,
  ctx: Ctx,
  alertIds: readonly string[],
  to: 'acknowledged' | 'resolved',
  via?: string,
): Promise<{ changed: Alert[]; unchanged: Alert[] }> {
  const ids = [...new Set(alertIds)];
  if (ids.length === 0) return { changed: [], unchanged: [] };
  const now = ctx.clock.now();
  const changed = await setAlertStatus(tx, ids, to, now);
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
      reason: `${to} by ${actorName}${via ? ` (${via})` : ''}`,
      dedupKey: a.dedup_key,
      actorName,
      requestId: ctx.requestId ?? null,
      payload: null,
    })),
  );
  await refreshIncidents(tx, [...new Set(changed.flatMap((a) => (a.incident_id ? [a.incident_id] : [])))], now);
  for (const a of changed) {
    await writeAudit(tx, ctx, {
      action: to === 'acknowledged' ? 'alert.acknowledge' : 'alert.resolve',
      entityType: 'alert',
      entityId: a.id,
      data: { number: a.number, by: actorUserId(ctx.actor), ...(via ? { via } : {}) },
    });
  }
  if (changed.length) await notifyAlertsChanged(tx);
  const changedIds = new Set(changed.map((a) => a.id));
  const all = await findAlerts(tx, ids);
  return { changed: all.filter((a) => changedIds.has(a.id)), unchanged: all.filter((a) => !changedIds.has(a.id)) };
}

/**
 * An incident's alerts changed as one, in the caller's transaction: acknowledging takes its
 * triggered alerts, resolving every open one; each goes through `changeAlertsIn`, so the incident's
 * status and its escalation follow exactly as for alert events. The caller authorizes.
 */
export async function changeIncidentAlerts(tx: Tx, ctx: Ctx, incident: { id: string; number: number }, to: 'acknowledged' | 'resolved') {
  const ids = await findIncidentAlertsForUpdate(tx, incident.id, to === 'acknowledged' ? ['triggered'] : ['triggered', 'acknowledged']);
  return changeAlertsIn(tx, ctx, ids, to, `incident #${incident.number}`);
}

/**
 * An acknowledged incident is triggered again (its acknowledgement timed out), in the caller's
 * transaction: its acknowledged alerts lock first (as every alert change locks), then the incident
 * goes back to triggered only if it is still under the acknowledgement made at `acknowledgedAt`,
 * and the alerts with it, each logged as `retriggered` with `reason`. False, changing nothing,
 * when a resolve or a newer acknowledgement came first. The caller restarts the escalation.
 */
export async function retriggerIncidentAlerts(tx: Tx, ctx: Ctx, incidentId: string, acknowledgedAt: Date, reason: string): Promise<boolean> {
  const ids = await findIncidentAlertsForUpdate(tx, incidentId, ['acknowledged']);
  const now = ctx.clock.now();
  if (ids.length === 0 || !(await retriggerIncidentRow(tx, incidentId, acknowledgedAt, now))) return false;
  const changed = await untriggerAcknowledged(tx, ids, now);
  await insertEvents(
    tx,
    changed.map((a) => ({
      at: now,
      alertId: a.id,
      serviceId: a.service_id,
      sender: 'vigil',
      action: 'retrigger',
      decision: 'retriggered',
      reason,
      dedupKey: a.dedup_key,
      actorName: null,
      requestId: null,
      payload: null,
    })),
  );
  await notifyAlertsChanged(tx);
  return true;
}

export const acknowledgeAlerts = (ctx: Ctx, refs: string[]) => changeAlerts(ctx, refs, 'acknowledged');
export const resolveAlerts = (ctx: Ctx, refs: string[]) => changeAlerts(ctx, refs, 'resolved');
