import { type Alert, changeIncidentAlerts } from '../alerts/index.ts';
import { writeAudit } from '../shared/audit.ts';
import { actorUserId, authorize, type Ctx, type Tx } from '../shared/context.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import type { Incident } from './incident.ts';
import { selectIncidents, toIncident } from './store.ts';

export interface IncidentChange {
  incident: Incident;
  /** The alerts this call changed (already acknowledged or resolved ones are left as they were). */
  changed: Alert[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An incident by id, number or `#number`, read in `tx`. */
export async function findIncidentByRef(tx: Tx, ref: string): Promise<Incident> {
  const m = /^#?(\d{1,15})$/.exec(ref);
  if (!m && !UUID.test(ref)) throw notFound('incident', ref);
  const row = await (m ? selectIncidents(tx).where('i.number', '=', Number(m[1]) as never) : selectIncidents(tx).where('i.id', '=', ref)).executeTakeFirst();
  if (!row) throw notFound('incident', ref);
  return toIncident(row);
}

/**
 * A person acknowledges or resolves an incident: acknowledging acknowledges every triggered alert
 * of it, resolving resolves every open one, in one transaction through core/alerts (each alert's
 * log names the person and the incident, each alert change is audited), so the incident's status
 * is recomputed and its escalation stopped exactly as for alert events. Repeating it changes
 * nothing and answers the incident as it is; acknowledging a resolved incident is
 * PRECONDITION_FAILED. Audited as `incident.acknowledge|resolve` when it changed something.
 */
async function changeIncident(ctx: Ctx, ref: string, to: 'acknowledged' | 'resolved', via?: ChangeVia): Promise<IncidentChange> {
  authorize(ctx.actor, 'write');
  return ctx.db.transaction().execute(async (tx) => {
    // Alerts are locked before their incident (as every alert change does): no lock here.
    const before = await findIncidentByRef(tx, ref);
    if (to === 'acknowledged' && before.status === 'resolved') {
      throw new DomainError('PRECONDITION_FAILED', `Incident #${before.number} is resolved; there is nothing to acknowledge.`, { status: before.status });
    }
    const { changed } = await changeIncidentAlerts(tx, ctx, before, to);
    const incident = await findIncidentByRef(tx, before.id);
    if (changed.length) {
      await writeAudit(tx, ctx, {
        action: to === 'acknowledged' ? 'incident.acknowledge' : 'incident.resolve',
        entityType: 'incident',
        entityId: incident.id,
        data: { number: incident.number, by: actorUserId(ctx.actor), alerts: changed.map((a) => a.number), status: incident.status, ...(via ? { via: via.type, notificationId: via.notificationId } : {}) },
      });
    }
    return { incident, changed };
  });
}

/** How the change arrived when not through the API: a one-click link in a page (act-by-link.ts). */
export interface ChangeVia {
  type: 'link';
  notificationId: string;
}

export const acknowledgeIncident = (ctx: Ctx, ref: string, via?: ChangeVia) => changeIncident(ctx, ref, 'acknowledged', via);
export const resolveIncident = (ctx: Ctx, ref: string, via?: ChangeVia) => changeIncident(ctx, ref, 'resolved', via);
