import { sql } from 'kysely';
import type { Tx } from '../shared/context.ts';
import type { AlertGrouping } from './grouping.ts';
import type { EventRule } from './event-rules.ts';
import type { Matcher } from './matchers.ts';
import type { AlertSignal, Severity } from './signal.ts';
import type { Urgency, UrgencyRule } from './urgency.ts';

export const ALERTS_CHANNEL = 'vigil_alerts';

export interface ServiceSettings {
  id: string;
  name: string;
  grouping: AlertGrouping;
  urgencyRule: UrgencyRule | null;
}

export async function findKeys(tx: Tx, keys: string[]): Promise<Map<string, { serviceId: string }>> {
  if (keys.length === 0) return new Map();
  const rows = await tx.selectFrom('integration_keys').select(['key', 'service_id']).where('key', 'in', keys).where('revoked_at', 'is', null).execute();
  return new Map(rows.map((r) => [r.key, { serviceId: r.service_id }]));
}

export async function findServiceSettings(tx: Tx, ids: string[]): Promise<ServiceSettings[]> {
  if (ids.length === 0) return [];
  const rows = await tx.selectFrom('services').select(['id', 'name', 'alert_grouping', 'urgency_rule']).where('id', 'in', ids).execute();
  return rows.map((r) => ({ id: r.id, name: r.name, grouping: r.alert_grouping as AlertGrouping, urgencyRule: (r.urgency_rule as UrgencyRule | null) ?? null }));
}

/** Global rules (no service) and the rules of `serviceIds`, in evaluation order. */
export async function findRules(tx: Tx, serviceIds: string[]): Promise<EventRule[]> {
  let q = tx.selectFrom('event_rules').selectAll().where('enabled', '=', true);
  q = serviceIds.length ? q.where((eb) => eb.or([eb('service_id', 'is', null), eb('service_id', 'in', serviceIds)])) : q.where('service_id', 'is', null);
  const rows = await q.orderBy('position').orderBy('created_at').execute();
  return rows.map(toRule);
}

export const toRule = (r: {
  id: string;
  service_id: string | null;
  name: string;
  position: number;
  matchers: Matcher[];
  actions: Record<string, unknown>;
  enabled: boolean;
}): EventRule => ({ id: r.id, serviceId: r.service_id, name: r.name, position: r.position, matchers: r.matchers, actions: r.actions, enabled: r.enabled });

export const findActiveMaintenance = (tx: Tx, serviceIds: string[], now: Date) =>
  serviceIds.length === 0
    ? Promise.resolve([])
    : tx
        .selectFrom('maintenance_windows')
        .select(['id', 'service_id', 'description', 'ends_at'])
        .where('service_id', 'in', serviceIds)
        .where('starts_at', '<=', now)
        .where('ends_at', '>', now)
        .orderBy('ends_at', 'desc')
        .execute();

export const findActiveSilences = (tx: Tx, now: Date) =>
  tx
    .selectFrom('silences')
    .select(['id', 'service_id', 'matchers', 'comment', 'ends_at'])
    .where('starts_at', '<=', now)
    .where('ends_at', '>', now)
    .orderBy('created_at')
    .execute();

export interface NewAlert {
  serviceId: string;
  dedupKey: string;
  signal: AlertSignal;
  severity: Severity;
  urgency: Urgency;
  suppressedBy: Record<string, unknown> | null;
  now: Date;
}

/**
 * Counts a repeat on the open alert holding (service, dedup key), refreshing its details from the
 * newest event; or, when there is none, inserts the alert. The update comes first so a repeat does
 * not draw (and waste) an alert number; the insert still goes through the partial unique index, so
 * two nodes inserting the same key at once end as one alert and one repeat.
 */
export async function upsertAlert(tx: Tx, a: NewAlert) {
  const s = a.signal;
  const refreshed = {
    summary: s.summary,
    source: s.source,
    severity: a.severity,
    component: s.component,
    grp: s.group,
    class: s.class,
    description: s.description,
    details: JSON.stringify(s.details),
    labels: JSON.stringify(s.labels),
    links: JSON.stringify(s.links),
    images: JSON.stringify(s.images),
  };
  const returning = ['id', 'number', 'status', 'count', 'incident_id', 'suppressed_by'] as const;
  const repeat = await tx
    .updateTable('alerts')
    .set({ ...refreshed, count: sql<number>`count + 1`, last_seen_at: a.now, updated_at: a.now })
    .where('service_id', '=', a.serviceId)
    .where('dedup_key', '=', a.dedupKey)
    .where('status', '<>', 'resolved')
    .returning(returning)
    .executeTakeFirst();
  if (repeat) return { ...repeat, inserted: false };
  return tx
    .insertInto('alerts')
    .values({
      ...refreshed,
      service_id: a.serviceId,
      dedup_key: a.dedupKey,
      status: 'triggered',
      sender: s.sender,
      urgency: a.urgency,
      group_key: s.groupKey,
      client: s.client,
      client_url: s.clientUrl,
      suppressed_by: a.suppressedBy ? JSON.stringify(a.suppressedBy) : null,
      started_at: s.timestamp ?? a.now,
      created_at: a.now,
      last_seen_at: a.now,
      updated_at: a.now,
    })
    .onConflict((oc) =>
      oc
        .columns(['service_id', 'dedup_key'])
        .where('status', '<>', 'resolved')
        .doUpdateSet((eb) => ({
          count: sql<number>`alerts.count + 1`,
          last_seen_at: eb.ref('excluded.last_seen_at'),
          updated_at: eb.ref('excluded.updated_at'),
          summary: eb.ref('excluded.summary'),
          source: eb.ref('excluded.source'),
          severity: eb.ref('excluded.severity'),
          component: eb.ref('excluded.component'),
          grp: eb.ref('excluded.grp'),
          class: eb.ref('excluded.class'),
          description: eb.ref('excluded.description'),
          details: eb.ref('excluded.details'),
          labels: eb.ref('excluded.labels'),
          links: eb.ref('excluded.links'),
          images: eb.ref('excluded.images'),
        })),
    )
    .returning([...returning, sql<boolean>`xmax = 0`.as('inserted')])
    .executeTakeFirstOrThrow();
}

/** The open alert an acknowledge/resolve applies to, locked. */
export function findOpenAlertForUpdate(tx: Tx, serviceId: string, ref: { dedupKey: string } | { id: string } | { number: number }) {
  let q = tx
    .selectFrom('alerts')
    .select(['id', 'number', 'status', 'incident_id', 'dedup_key'])
    .where('service_id', '=', serviceId)
    .where('status', '<>', 'resolved');
  q = 'dedupKey' in ref ? q.where('dedup_key', '=', ref.dedupKey) : 'id' in ref ? q.where('id', '=', ref.id) : q.where('number', '=', ref.number as never);
  return q.forUpdate().executeTakeFirst();
}

export const setAlertStatus = (tx: Tx, ids: string[], status: 'acknowledged' | 'resolved', now: Date) =>
  tx
    .updateTable('alerts')
    .set(
      status === 'acknowledged'
        ? { status, acknowledged_at: now, updated_at: now }
        : { status, resolved_at: now, updated_at: now, acknowledged_at: sql`coalesce(acknowledged_at, ${now})` },
    )
    .where('id', 'in', ids)
    .where('status', '<>', status === 'acknowledged' ? 'acknowledged' : 'resolved')
    .where('status', '<>', 'resolved')
    .returning(['id', 'number', 'incident_id', 'dedup_key', 'service_id'])
    .execute();

/** The open incident a new alert joins under time or content grouping, locked. */
export function findIncidentToJoin(tx: Tx, serviceId: string, groupKey: string | null, since: Date | null) {
  let q = tx.selectFrom('incidents').select(['id', 'number', 'urgency']).where('service_id', '=', serviceId).where('status', '<>', 'resolved');
  if (groupKey !== null) q = q.where('group_key', '=', groupKey);
  if (since) q = q.where('created_at', '>=', since);
  return q.orderBy('created_at', 'desc').limit(1).forUpdate().executeTakeFirst();
}

export const insertIncident = (tx: Tx, row: { serviceId: string; title: string; urgency: Urgency; groupKey: string | null; now: Date }) =>
  tx
    .insertInto('incidents')
    .values({
      service_id: row.serviceId,
      title: row.title,
      status: 'triggered',
      urgency: row.urgency,
      group_key: row.groupKey,
      alert_count: 1,
      created_at: row.now,
      updated_at: row.now,
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow();

export const lockServiceGrouping = (tx: Tx, serviceId: string) => sql`select pg_advisory_xact_lock(hashtext(${serviceId}))`.execute(tx);

export const joinIncident = (tx: Tx, id: string, urgency: Urgency, now: Date) =>
  tx
    .updateTable('incidents')
    .set({ alert_count: sql`alert_count + 1`, updated_at: now, ...(urgency === 'high' ? { urgency: 'high' } : {}) })
    .where('id', '=', id)
    .execute();

export const attachAlert = (tx: Tx, alertId: string, incidentId: string) =>
  tx.updateTable('alerts').set({ incident_id: incidentId }).where('id', '=', alertId).execute();

/**
 * Recomputes an incident's status from its alerts after some were acknowledged or resolved:
 * resolved once every alert is; acknowledged once none is still triggered (and it stays
 * acknowledged when a later alert joins — nobody is re-paged for a known incident).
 */
export async function refreshIncidents(tx: Tx, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    update incidents i set
      status = s.next,
      acknowledged_at = case when s.next <> 'triggered' then coalesce(i.acknowledged_at, ${now}) else i.acknowledged_at end,
      resolved_at = case when s.next = 'resolved' then coalesce(i.resolved_at, ${now}) else null end,
      updated_at = ${now}
    from (
      select a.incident_id as id,
        case
          when bool_and(a.status = 'resolved') then 'resolved'
          when bool_or(a.status = 'triggered') and max(i2.status) <> 'acknowledged' then 'triggered'
          else 'acknowledged'
        end as next
      from alerts a join incidents i2 on i2.id = a.incident_id
      where a.incident_id in (${sql.join(ids)})
      group by a.incident_id
    ) s
    where i.id = s.id and i.status <> s.next`.execute(tx);
}

export interface EventRow {
  at: Date;
  alertId: string | null;
  serviceId: string | null;
  sender: string;
  action: string;
  decision: 'created' | 'deduplicated' | 'acknowledged' | 'resolved' | 'ignored' | 'suppressed' | 'dropped';
  reason: string;
  dedupKey: string | null;
  actorName: string | null;
  requestId: string | null;
  payload: unknown;
}

export async function insertEvents(tx: Tx, rows: EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto('alert_events')
    .values(
      rows.map((r) => ({
        at: r.at,
        alert_id: r.alertId,
        service_id: r.serviceId,
        sender: r.sender,
        action: r.action,
        decision: r.decision,
        reason: r.reason,
        dedup_key: r.dedupKey,
        actor_name: r.actorName,
        request_id: r.requestId,
        payload: r.payload === undefined || r.payload === null ? null : JSON.stringify(r.payload),
      })),
    )
    .execute();
}

/** Wakes live views on every node (the web UI's alert list); read as "look again". */
export const notifyAlertsChanged = (tx: Tx) => sql`select pg_notify(${ALERTS_CHANNEL}, '')`.execute(tx);
