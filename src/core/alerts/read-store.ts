import type { Tx } from '../shared/context.ts';
import type { Alert, AlertEvent } from './alert.ts';

/** The reads behind the alert list, an alert's page and its log. */
export const selectAlerts = (tx: Tx) =>
  tx
    .selectFrom('alerts as a')
    .innerJoin('services as s', 's.id', 'a.service_id')
    .leftJoin('incidents as i', 'i.id', 'a.incident_id')
    .selectAll('a')
    .select(['s.name as service_name', 'i.number as incident_number']);

type AlertRow = Awaited<ReturnType<ReturnType<typeof selectAlerts>['executeTakeFirstOrThrow']>>;

export const toAlert = (r: AlertRow): Alert => ({
  id: r.id,
  number: r.number,
  serviceId: r.service_id,
  serviceName: r.service_name,
  incidentId: r.incident_id,
  incidentNumber: r.incident_number,
  dedupKey: r.dedup_key,
  status: r.status,
  sender: r.sender,
  summary: r.summary,
  source: r.source,
  severity: r.severity,
  urgency: r.urgency,
  component: r.component,
  group: r.grp,
  class: r.class,
  description: r.description,
  details: r.details,
  labels: r.labels,
  groupKey: r.group_key,
  links: r.links,
  images: r.images,
  client: r.client,
  clientUrl: r.client_url,
  suppressedBy: r.suppressed_by,
  count: r.count,
  startedAt: r.started_at,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  acknowledgedAt: r.acknowledged_at,
  resolvedAt: r.resolved_at,
});

export const findAlerts = async (tx: Tx, ids: string[]): Promise<Alert[]> =>
  ids.length === 0 ? [] : (await selectAlerts(tx).where('a.id', 'in', ids).execute()).map(toAlert);

export const findAlertByIdOrNumber = async (tx: Tx, ref: { id: string } | { number: number }): Promise<Alert | undefined> => {
  const q = 'id' in ref ? selectAlerts(tx).where('a.id', '=', ref.id) : selectAlerts(tx).where('a.number', '=', ref.number as never);
  const row = await q.executeTakeFirst();
  return row && toAlert(row);
};

type EventRowOut = Awaited<ReturnType<ReturnType<typeof selectEvents>['executeTakeFirstOrThrow']>>;
const selectEvents = (tx: Tx) => tx.selectFrom('alert_events').selectAll();
export const toEvent = (r: EventRowOut): AlertEvent => ({
  id: r.id,
  at: r.at,
  alertId: r.alert_id,
  serviceId: r.service_id,
  sender: r.sender,
  action: r.action,
  decision: r.decision,
  reason: r.reason,
  dedupKey: r.dedup_key,
  actorName: r.actor_name,
  requestId: r.request_id,
  payload: r.payload,
});

/** An alert's log, oldest first; the newest `limit` entries when it is long. */
export async function findAlertLog(tx: Tx, alertId: string, limit: number): Promise<{ events: AlertEvent[]; total: number }> {
  const rows = await selectEvents(tx).where('alert_id', '=', alertId).orderBy('id', 'desc').limit(limit).execute();
  const { total } = await tx.selectFrom('alert_events').select((eb) => eb.fn.countAll<number>().as('total')).where('alert_id', '=', alertId).executeTakeFirstOrThrow();
  return { events: rows.reverse().map(toEvent), total: Number(total) };
}

export { selectEvents };
