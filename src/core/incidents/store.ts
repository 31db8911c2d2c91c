import type { Tx } from '../shared/context.ts';
import type { Incident } from './incident.ts';

export const selectIncidents = (tx: Tx) =>
  tx.selectFrom('incidents as i').innerJoin('services as s', 's.id', 'i.service_id').selectAll('i').select('s.name as service_name');

type Row = Awaited<ReturnType<ReturnType<typeof selectIncidents>['executeTakeFirstOrThrow']>>;

export const toIncident = (r: Row): Incident => ({
  id: r.id,
  number: r.number,
  serviceId: r.service_id,
  serviceName: r.service_name,
  title: r.title,
  status: r.status,
  urgency: r.urgency,
  alertCount: r.alert_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  acknowledgedAt: r.acknowledged_at,
  resolvedAt: r.resolved_at,
});

/** The names of the users among `ids` (missing ones are absent). */
export const findUserNames = async (tx: Tx, ids: readonly string[]): Promise<Map<string, string>> =>
  new Map(ids.length ? (await tx.selectFrom('users').select(['id', 'name']).where('id', 'in', [...ids]).execute()).map((u) => [u.id, u.name]) : []);

/** The incident row locked (after its alerts, as every alert change locks). */
export const lockIncident = (tx: Tx, id: string) =>
  tx.selectFrom('incidents').select(['id', 'number', 'status', 'acknowledged_at']).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();

/** The policy snapshot the incident's escalation runs on (null: it has none). */
export const findEscalationPolicy = async (tx: Tx, incidentId: string): Promise<unknown> =>
  (await tx.selectFrom('escalations').select('policy').where('incident_id', '=', incidentId).executeTakeFirst())?.policy ?? null;
/** The person a one-click link acts as; undefined once their account is gone. */
export const findLinkUser = (tx: Tx, id: string) => tx.selectFrom('users').select(['id', 'name', 'role']).where('id', '=', id).executeTakeFirst();
