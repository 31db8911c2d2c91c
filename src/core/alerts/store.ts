import { sql } from 'kysely';
import { stopEscalations } from '../escalation/index.ts';
import { recordIncidentEvents } from '../webhooks/index.ts';
import type { Tx } from '../shared/context.ts';
import { recordset } from '../shared/recordset.ts';
import type { AlertGrouping } from './grouping.ts';
import type { EventRule } from './event-rules.ts';
import type { Matcher } from './matchers.ts';
import type { AlertSignal } from './signal.ts';
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
  return rows.map(toServiceSettings);
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

export interface IngestContext {
  keys: Map<string, { serviceId: string }>;
  services: ServiceSettings[];
  rules: EventRule[];
  maintenance: { id: string; service_id: string; description: string; ends_at: Date }[];
  silences: { id: string; service_id: string | null; matchers: Matcher[]; comment: string; ends_at: Date }[];
}

/**
 * Everything a batch of events needs to look up, in one round trip: the integration keys, the
 * services they (or `serviceIds`) name, the global rules and those services' rules in evaluation
 * order, the services' active maintenance windows (latest ending first) and the active silences.
 */
export async function findIngestContext(tx: Tx, keys: readonly string[], serviceIds: readonly string[], now: Date): Promise<IngestContext> {
  const { rows } = await sql<{ keys: { key: string; service_id: string }[]; services: ServiceRow[]; rules: RuleRow[]; maintenance: WindowRow[]; silences: SilenceRow[] }>`
    with k as (
      select key, service_id from integration_keys where key = any(array[${sql.join(keys)}]::text[]) and revoked_at is null
    ), s as (
      select id, name, alert_grouping, urgency_rule from services
      where id in (select service_id from k) or id = any(array[${sql.join(serviceIds)}]::uuid[])
    )
    select
      (select coalesce(json_agg(k), '[]') from k) as keys,
      (select coalesce(json_agg(s), '[]') from s) as services,
      (select coalesce(json_agg(r order by r.position, r.created_at), '[]')
         from (select id, service_id, name, position, matchers, actions, enabled, created_at from event_rules
               where enabled and (service_id is null or service_id in (select id from s))) r) as rules,
      (select coalesce(json_agg(m order by m.ends_at desc), '[]')
         from (select id, service_id, description, ends_at from maintenance_windows
               where service_id in (select id from s) and starts_at <= ${now} and ends_at > ${now}) m) as maintenance,
      (select coalesce(json_agg(x order by x.created_at), '[]')
         from (select id, service_id, matchers, comment, ends_at, created_at from silences
               where starts_at <= ${now} and ends_at > ${now}) x) as silences`.execute(tx);
  const r = rows[0]!;
  return {
    keys: new Map(r.keys.map((k) => [k.key, { serviceId: k.service_id }])),
    services: r.services.map(toServiceSettings),
    rules: r.rules.map(toRule),
    maintenance: r.maintenance.map((m) => ({ ...m, ends_at: new Date(m.ends_at) })),
    silences: r.silences.map(({ created_at: _, ...x }) => ({ ...x, ends_at: new Date(x.ends_at) })),
  };
}

type ServiceRow = { id: string; name: string; alert_grouping: unknown; urgency_rule: unknown };
type RuleRow = Parameters<typeof toRule>[0];
type WindowRow = { id: string; service_id: string; description: string; ends_at: string };
type SilenceRow = { id: string; service_id: string | null; matchers: Matcher[]; comment: string; ends_at: string; created_at: string };

const toServiceSettings = (r: ServiceRow): ServiceSettings => ({
  id: r.id,
  name: r.name,
  grouping: r.alert_grouping as AlertGrouping,
  urgencyRule: (r.urgency_rule as UrgencyRule | null) ?? null,
});

export interface NewAlert {
  /** The signal's place in its batch: how returned rows find their signal again. */
  ord: number;
  serviceId: string;
  dedupKey: string;
  /** The first event for the pair in its run: a new alert takes its sender, urgency, start. */
  signal: AlertSignal;
  /** The last event for the pair in its run: the alert's details are refreshed from it. */
  latest: AlertSignal;
  /** How many events of the run it stands for: a new alert starts at this count. */
  occurrences: number;
  urgency: Urgency;
  suppressedBy: Record<string, unknown> | null;
}

export interface AlertRow {
  id: string;
  number: number;
  status: 'triggered' | 'acknowledged' | 'resolved';
  count: number;
  incident_id: string | null;
  suppressed_by: Record<string, unknown> | null;
}

/** The columns a repeat refreshes from its newest event. */
const refreshedColumns = (a: NewAlert) => {
  const s = a.latest;
  return {
    ord: a.ord,
    occurrences: a.occurrences,
    service_id: a.serviceId,
    dedup_key: a.dedupKey,
    summary: s.summary,
    source: s.source,
    severity: s.severity,
    component: s.component,
    grp: s.group,
    class: s.class,
    description: s.description,
    details: s.details,
    labels: s.labels,
    links: s.links,
    images: s.images,
  };
};
const REFRESHED = sql.raw(
  'ord int, occurrences int, service_id uuid, dedup_key text, summary text, source text, severity text, component text, grp text, class text, description text, details jsonb, labels jsonb, links jsonb, images jsonb',
);

/**
 * Counts the repeats on each open alert holding one of the (service, dedup key) pairs, refreshing
 * its details from the newest event, in one statement. Pairs must be distinct within a call. Returns
 * the updated alerts by `ord`; the pairs missing from it have no open alert.
 */
export async function countRepeats(tx: Tx, now: Date, alerts: readonly NewAlert[]): Promise<Map<number, AlertRow>> {
  if (alerts.length === 0) return new Map();
  const { rows } = await sql<AlertRow & { ord: number }>`
    update alerts a set
      count = a.count + v.occurrences, last_seen_at = ${now}, updated_at = ${now},
      summary = v.summary, source = v.source, severity = v.severity, component = v.component, grp = v.grp,
      class = v.class, description = v.description, details = v.details, labels = v.labels, links = v.links, images = v.images
    from ${recordset(alerts.map(refreshedColumns))} as v(${REFRESHED})
    where a.service_id = v.service_id and a.dedup_key = v.dedup_key and a.status <> 'resolved'
      and a.service_id in (${sql.join([...new Set(alerts.map((a) => a.serviceId))])})
      and a.dedup_key in (${sql.join(alerts.map((a) => a.dedupKey))})
    returning v.ord, a.id, a.number, a.status, a.count, a.incident_id, a.suppressed_by`.execute(tx);
  return new Map(rows.map((r) => [r.ord, r]));
}

/**
 * Inserts the alerts in one statement, in `ord` order (so alert numbers follow the batch). The
 * insert still goes through the partial unique index: when another node opened one of these keys
 * a moment ago, that pair ends as a repeat of its alert (`inserted` false) instead of a second
 * open alert. Pairs must be distinct within a call. Returns the rows by `ord`.
 */
export async function insertAlerts(
  tx: Tx,
  now: Date,
  alerts: readonly (NewAlert & { incidentId: string | null })[],
): Promise<Map<number, AlertRow & { inserted: boolean }>> {
  if (alerts.length === 0) return new Map();
  const values = alerts.map((a) => ({
    ...refreshedColumns(a),
    sender: a.signal.sender,
    urgency: a.urgency,
    group_key: a.signal.groupKey,
    client: a.signal.client,
    client_url: a.signal.clientUrl,
    suppressed_by: a.suppressedBy,
    incident_id: a.incidentId,
    started_at: (a.signal.timestamp ?? now).toISOString(),
  }));
  const { rows } = await sql<AlertRow & { service_id: string; dedup_key: string; inserted: boolean }>`
    insert into alerts (service_id, incident_id, dedup_key, count, status, sender, summary, source, severity, urgency, component, grp, class,
      description, details, labels, group_key, links, images, client, client_url, suppressed_by, started_at, created_at,
      last_seen_at, updated_at)
    select v.service_id, v.incident_id, v.dedup_key, v.occurrences, 'triggered', v.sender, v.summary, v.source, v.severity, v.urgency, v.component, v.grp,
      v.class, v.description, v.details, v.labels, v.group_key, v.links, v.images, v.client, v.client_url, v.suppressed_by,
      v.started_at, ${now}, ${now}, ${now}
    from ${recordset(values)} as v(${REFRESHED}, sender text, urgency text, group_key text, client text, client_url text,
      suppressed_by jsonb, incident_id uuid, started_at timestamptz)
    order by v.ord
    on conflict (service_id, dedup_key) where status <> 'resolved' do update set
      count = alerts.count + excluded.count, last_seen_at = excluded.last_seen_at, updated_at = excluded.updated_at,
      summary = excluded.summary, source = excluded.source, severity = excluded.severity, component = excluded.component,
      grp = excluded.grp, class = excluded.class, description = excluded.description, details = excluded.details,
      labels = excluded.labels, links = excluded.links, images = excluded.images
    returning id, number, status, count, incident_id, suppressed_by, service_id, dedup_key, (xmax = 0) as inserted`.execute(tx);
  const ordOf = new Map(alerts.map((a) => [`${a.serviceId} ${a.dedupKey}`, a.ord]));
  return new Map(rows.map(({ service_id, dedup_key, ...r }) => [ordOf.get(`${service_id} ${dedup_key}`)!, r]));
}

export type AlertRef = { dedupKey: string } | { id: string } | { number: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The open alerts acknowledge/resolve events refer to (by dedup key within a service, by id or by
 * number), locked in id order so two transactions lock them in one order. The caller matches each
 * ref to its row, checking the service.
 */
export async function findOpenAlertsForUpdate(tx: Tx, refs: readonly { serviceId: string; ref: AlertRef }[]) {
  const pairs = refs.flatMap(({ serviceId, ref }) => ('dedupKey' in ref ? [{ serviceId, dedupKey: ref.dedupKey }] : []));
  const ids = refs.flatMap(({ ref }) => ('id' in ref && UUID.test(ref.id) ? [ref.id] : []));
  const numbers = refs.flatMap(({ ref }) => ('number' in ref ? [ref.number] : []));
  if (pairs.length + ids.length + numbers.length === 0) return [];
  return tx
    .selectFrom('alerts')
    .select(['id', 'number', 'status', 'incident_id', 'dedup_key', 'service_id'])
    .where('status', '<>', 'resolved')
    .where((eb) =>
      eb.or([
        ...(pairs.length
          ? [eb.and([eb('service_id', 'in', [...new Set(pairs.map((p) => p.serviceId))]), eb('dedup_key', 'in', pairs.map((p) => p.dedupKey))])]
          : []),
        ...(ids.length ? [eb('id', 'in', ids)] : []),
        ...(numbers.length ? [eb('number', 'in', numbers as never[])] : []),
      ]),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
}

/**
 * The ids of an incident's alerts in `statuses`, locked in id order (the order every alert change
 * locks in), for the incident acknowledge/resolve verbs.
 */
export const findIncidentAlertsForUpdate = async (tx: Tx, incidentId: string, statuses: readonly ('triggered' | 'acknowledged')[]): Promise<string[]> =>
  (await tx.selectFrom('alerts').select('id').where('incident_id', '=', incidentId).where('status', 'in', [...statuses]).orderBy('id').forUpdate().execute()).map((r) => r.id);

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

/** Acknowledged alerts back to triggered (an incident's acknowledgement timed out). */
export const untriggerAcknowledged = (tx: Tx, ids: string[], now: Date) =>
  tx
    .updateTable('alerts')
    .set({ status: 'triggered', acknowledged_at: null, updated_at: now })
    .where('id', 'in', ids)
    .where('status', '=', 'acknowledged')
    .returning(['id', 'number', 'incident_id', 'dedup_key', 'service_id'])
    .execute();

/**
 * The incident back to triggered, only while it is still under the acknowledgement made at
 * `acknowledgedAt` (a later acknowledgement, or a resolve, wins). Locks it; false when it changed nothing.
 */
export async function retriggerIncidentRow(tx: Tx, incidentId: string, acknowledgedAt: Date, now: Date): Promise<boolean> {
  const row = await tx
    .updateTable('incidents')
    .set({ status: 'triggered', acknowledged_at: null, updated_at: now })
    .where('id', '=', incidentId)
    .where('status', '=', 'acknowledged')
    .where('acknowledged_at', '=', acknowledgedAt)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The open incidents new alerts of one service may join, newest first: under time grouping
 * (`groupKeys` null) the newest open incident of the service; under content grouping the newest
 * open one for each group key. Only incidents opened since `since` count (null: any open one).
 */
export async function findIncidentsToJoin(tx: Tx, serviceId: string, groupKeys: string[] | null, since: Date | null) {
  if (groupKeys !== null && groupKeys.length === 0) return [];
  let q = tx.selectFrom('incidents').select(['id', 'number', 'group_key']).where('service_id', '=', serviceId).where('status', '<>', 'resolved');
  if (since) q = q.where('created_at', '>=', since);
  if (groupKeys === null) return q.orderBy('created_at', 'desc').limit(1).execute();
  return q.where('group_key', 'in', groupKeys).distinctOn('group_key').orderBy('group_key').orderBy('created_at', 'desc').execute();
}

export interface NewIncident {
  id: string;
  serviceId: string;
  title: string;
  urgency: Urgency;
  groupKey: string | null;
  alertCount: number;
}

/** Inserts incidents with ids chosen by the caller, in the given order; returns their numbers by id. */
export async function insertIncidents(tx: Tx, now: Date, incidents: readonly NewIncident[]): Promise<Map<string, number>> {
  if (incidents.length === 0) return new Map();
  const values = incidents.map((i, ord) => ({ ord, id: i.id, service_id: i.serviceId, title: i.title, urgency: i.urgency, group_key: i.groupKey, alert_count: i.alertCount }));
  const { rows } = await sql<{ id: string; number: number }>`
    insert into incidents (id, service_id, title, status, urgency, group_key, alert_count, created_at, updated_at)
    select v.id, v.service_id, v.title, 'triggered', v.urgency, v.group_key, v.alert_count, ${now}, ${now}
    from ${recordset(values)} as v(ord int, id uuid, service_id uuid, title text, urgency text, group_key text, alert_count int)
    order by v.ord
    returning id, number`.execute(tx);
  return new Map(rows.map((r) => [r.id, r.number]));
}

export const lockServiceGrouping = (tx: Tx, serviceId: string) => sql`select pg_advisory_xact_lock(hashtext(${serviceId}))`.execute(tx);

/** Counts newly joined alerts on open incidents; any high-urgency newcomer makes the incident high. */
export async function joinIncidents(tx: Tx, now: Date, joins: readonly { id: string; alerts: number; high: boolean }[]): Promise<void> {
  if (joins.length === 0) return;
  await sql`
    update incidents i set alert_count = i.alert_count + v.alerts, updated_at = ${now},
      urgency = case when v.high then 'high' else i.urgency end
    from ${recordset(joins)} as v(id uuid, alerts int, high boolean)
    where i.id = v.id`.execute(tx);
}

/** Takes alerts back off incidents (see `releaseUnused`); deletes the listed new ones left empty. */
export async function releaseIncidents(tx: Tx, now: Date, lost: readonly { id: string; alerts: number }[], created: readonly string[]): Promise<void> {
  await sql`
    update incidents i set alert_count = i.alert_count - v.alerts, updated_at = ${now}
    from ${recordset(lost)} as v(id uuid, alerts int)
    where i.id = v.id`.execute(tx);
  if (created.length) await tx.deleteFrom('incidents').where('id', 'in', created).where('alert_count', '=', 0).execute();
}

/**
 * Recomputes an incident's status from its alerts after some were acknowledged or resolved:
 * resolved once every alert is; acknowledged once none is still triggered (and it stays
 * acknowledged when a later alert joins — nobody is re-paged for a known incident).
 */
export async function refreshIncidents(tx: Tx, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  const changed = await sql<{ id: string; status: 'triggered' | 'acknowledged' | 'resolved' }>`
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
    where i.id = s.id and i.status <> s.next
    returning i.id, i.status`.execute(tx);
  // An incident acknowledged or resolved pages nobody further (core/escalation).
  const { rows } = changed;
  await stopEscalations(
    tx,
    now,
    rows.filter((r) => r.status !== 'triggered').map((r) => ({ incidentId: r.id, reason: r.status as 'acknowledged' | 'resolved' })),
  );
  // Subscribed webhooks hear of it in this transaction (core/webhooks).
  await recordIncidentEvents(tx, now, rows.flatMap((r) => (r.status === 'triggered' ? [] : [{ type: `incident.${r.status}` as const, incidentId: r.id }])));
}

export interface EventRow {
  at: Date;
  alertId: string | null;
  serviceId: string | null;
  sender: string;
  action: string;
  decision: 'created' | 'deduplicated' | 'acknowledged' | 'resolved' | 'retriggered' | 'ignored' | 'suppressed' | 'dropped';
  reason: string;
  dedupKey: string | null;
  actorName: string | null;
  requestId: string | null;
  payload: unknown;
}

export async function insertEvents(tx: Tx, rows: EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map((r, ord) => ({
    ord,
    at: r.at.toISOString(),
    alert_id: r.alertId,
    service_id: r.serviceId,
    sender: r.sender,
    action: r.action,
    decision: r.decision,
    reason: r.reason,
    dedup_key: r.dedupKey,
    actor_name: r.actorName,
    request_id: r.requestId,
    payload: r.payload === undefined ? null : r.payload,
  }));
  await sql`
    insert into alert_events (at, alert_id, service_id, sender, action, decision, reason, dedup_key, actor_name, request_id, payload)
    select v.at, v.alert_id, v.service_id, v.sender, v.action, v.decision, v.reason, v.dedup_key, v.actor_name, v.request_id, v.payload
    from ${recordset(values)} as v(ord int, at timestamptz, alert_id uuid, service_id uuid, sender text, action text, decision text,
      reason text, dedup_key text, actor_name text, request_id text, payload jsonb)
    order by v.ord`.execute(tx);
}

/** Wakes live views on every node (the web UI's alert list); read as "look again". */
export const notifyAlertsChanged = (tx: Tx) => sql`select pg_notify(${ALERTS_CHANNEL}, '')`.execute(tx);
