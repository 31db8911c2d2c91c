import { type Alert, type ChangeEvent, findChangeEvents, listAlerts } from '../alerts/index.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { Incident } from './incident.ts';
import { selectIncidents, toIncident } from './store.ts';

/** How far back "recent changes" reach before an incident opened (PagerDuty shows the latest few). */
export const RECENT_CHANGES_HOURS = 24;

/** One incident (by id or number) with its alerts and its service's recent changes. */
export async function getIncident(ctx: Ctx, ref: string): Promise<{ incident: Incident; alerts: Alert[]; recentChanges: ChangeEvent[] }> {
  authorize(ctx.actor, 'read');
  const m = /^#?(\d{1,15})$/.exec(ref);
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  if (!m && !isUuid) throw notFound('incident', ref);
  const row = await (m ? selectIncidents(ctx.db).where('i.number', '=', Number(m[1]) as never) : selectIncidents(ctx.db).where('i.id', '=', ref)).executeTakeFirst();
  if (!row) throw notFound('incident', ref);
  const incident = toIncident(row);
  const { alerts } = await listAlerts(ctx, { incidentId: incident.id, limit: 200 });
  const recentChanges = await findChangeEvents(ctx.db, {
    serviceId: incident.serviceId,
    since: new Date(incident.createdAt.getTime() - RECENT_CHANGES_HOURS * 3_600_000),
    until: incident.resolvedAt ?? ctx.clock.now(),
    limit: 20,
  });
  return { incident, alerts, recentChanges };
}
