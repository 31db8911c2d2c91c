import { sql } from 'kysely';
import type { AlertGrouping, Matcher, RuleActions, UrgencyRule } from '../alerts/index.ts';
import type { Tx } from '../shared/context.ts';
import {
  type EventRuleView,
  type MaintenanceWindow,
  type Silence,
  silenceState,
  type SilenceState,
  type WindowDraft,
  windowState,
  type WindowState,
  type SilenceDraft,
} from './noise.ts';

/** The service's name, or undefined when there is no such service. */
export const findServiceName = (tx: Tx, id: string) => tx.selectFrom('services').select(['id', 'name']).where('id', '=', id).executeTakeFirst();

// ---- maintenance windows ----

const selectWindows = (tx: Tx) =>
  tx
    .selectFrom('maintenance_windows as w')
    .innerJoin('services as s', 's.id', 'w.service_id')
    .select(['w.id', 'w.service_id', 's.name as service_name', 'w.description', 'w.starts_at', 'w.ends_at', 'w.created_by', 'w.created_at']);

type WindowRow = Awaited<ReturnType<ReturnType<typeof selectWindows>['executeTakeFirstOrThrow']>>;

const toWindow = (r: WindowRow, now: Date): MaintenanceWindow => ({
  id: r.id,
  serviceId: r.service_id,
  serviceName: r.service_name,
  description: r.description,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  state: windowState({ startsAt: r.starts_at, endsAt: r.ends_at }, now),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Active and upcoming windows soonest first; past ones most recent first. */
export async function listWindows(tx: Tx, q: { serviceId?: string | undefined; state?: WindowState | undefined; limit: number }, now: Date) {
  let query = selectWindows(tx);
  if (q.serviceId) query = query.where('w.service_id', '=', q.serviceId);
  if (q.state === 'upcoming') query = query.where('w.starts_at', '>', now);
  if (q.state === 'active') query = query.where('w.starts_at', '<=', now).where('w.ends_at', '>', now);
  if (q.state === 'past') query = query.where('w.ends_at', '<=', now);
  const rows = await query
    .orderBy(sql`case when w.ends_at <= ${now} then 1 else 0 end`)
    .orderBy(sql`case when w.ends_at <= ${now} then null else w.starts_at end`)
    .orderBy('w.ends_at', 'desc')
    .orderBy('w.id')
    .limit(q.limit)
    .execute();
  return rows.map((r) => toWindow(r, now));
}

export async function findWindow(tx: Tx, id: string, now: Date): Promise<MaintenanceWindow | undefined> {
  const row = await selectWindows(tx).where('w.id', '=', id).executeTakeFirst();
  return row && toWindow(row, now);
}

export const lockWindow = (tx: Tx, id: string) =>
  tx.selectFrom('maintenance_windows').select(['id', 'service_id', 'description', 'starts_at', 'ends_at']).where('id', '=', id).forUpdate().executeTakeFirst();

export const countOpenWindows = async (tx: Tx, serviceId: string, now: Date) =>
  Number(
    (
      await tx
        .selectFrom('maintenance_windows')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('service_id', '=', serviceId)
        .where('ends_at', '>', now)
        .executeTakeFirstOrThrow()
    ).n,
  );

export const insertWindow = (tx: Tx, row: WindowDraft & { serviceId: string; createdBy: string; now: Date }) =>
  tx
    .insertInto('maintenance_windows')
    .values({ service_id: row.serviceId, description: row.description, starts_at: row.startsAt, ends_at: row.endsAt, created_by: row.createdBy, created_at: row.now })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateWindow = (tx: Tx, id: string, set: WindowDraft) =>
  tx.updateTable('maintenance_windows').set({ description: set.description, starts_at: set.startsAt, ends_at: set.endsAt }).where('id', '=', id).execute();

export const deleteWindow = (tx: Tx, id: string) => tx.deleteFrom('maintenance_windows').where('id', '=', id).execute();

// ---- silences ----

const selectSilences = (tx: Tx) =>
  tx
    .selectFrom('silences as x')
    .leftJoin('services as s', 's.id', 'x.service_id')
    .select(['x.id', 'x.service_id', 's.name as service_name', 'x.matchers', 'x.comment', 'x.starts_at', 'x.ends_at', 'x.created_by', 'x.created_at', 'x.updated_at']);

type SilenceRow = Awaited<ReturnType<ReturnType<typeof selectSilences>['executeTakeFirstOrThrow']>>;

const toSilence = (r: SilenceRow, now: Date): Silence => ({
  id: r.id,
  serviceId: r.service_id,
  serviceName: r.service_name,
  matchers: r.matchers as Matcher[],
  comment: r.comment,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  state: silenceState({ startsAt: r.starts_at, endsAt: r.ends_at }, now),
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Alertmanager's order: active ones ending soonest, then pending starting soonest, then expired, latest first. */
export async function listSilences(tx: Tx, q: { state?: SilenceState | undefined; limit: number }, now: Date) {
  let query = selectSilences(tx);
  if (q.state === 'pending') query = query.where('x.starts_at', '>', now);
  if (q.state === 'active') query = query.where('x.starts_at', '<=', now).where('x.ends_at', '>', now);
  if (q.state === 'expired') query = query.where('x.ends_at', '<=', now);
  const rows = await query
    .orderBy(sql`case when x.ends_at <= ${now} then 2 when x.starts_at > ${now} then 1 else 0 end`)
    .orderBy(sql`case when x.ends_at <= ${now} then null when x.starts_at > ${now} then x.starts_at else x.ends_at end`)
    .orderBy('x.ends_at', 'desc')
    .orderBy('x.id')
    .limit(q.limit)
    .execute();
  return rows.map((r) => toSilence(r, now));
}

export async function findSilence(tx: Tx, id: string, now: Date): Promise<Silence | undefined> {
  const row = await selectSilences(tx).where('x.id', '=', id).executeTakeFirst();
  return row && toSilence(row, now);
}

export async function lockSilence(tx: Tx, id: string): Promise<(SilenceDraft & { id: string }) | undefined> {
  const r = await tx.selectFrom('silences').select(['id', 'service_id', 'matchers', 'comment', 'starts_at', 'ends_at']).where('id', '=', id).forUpdate().executeTakeFirst();
  return r && { id: r.id, serviceId: r.service_id, matchers: r.matchers as Matcher[], comment: r.comment, startsAt: r.starts_at, endsAt: r.ends_at };
}

/** Silences that are active or pending: the ones every ingestion batch may read. */
export const countLiveSilences = async (tx: Tx, now: Date) =>
  Number((await tx.selectFrom('silences').select((eb) => eb.fn.countAll().as('n')).where('ends_at', '>', now).executeTakeFirstOrThrow()).n);

export const insertSilence = (tx: Tx, row: SilenceDraft & { createdBy: string; now: Date }) =>
  tx
    .insertInto('silences')
    .values({
      service_id: row.serviceId,
      matchers: JSON.stringify(row.matchers),
      comment: row.comment,
      starts_at: row.startsAt,
      ends_at: row.endsAt,
      created_by: row.createdBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateSilence = (tx: Tx, id: string, set: { comment?: string; startsAt: Date; endsAt: Date }, now: Date) =>
  tx
    .updateTable('silences')
    .set({ ...(set.comment !== undefined ? { comment: set.comment } : {}), starts_at: set.startsAt, ends_at: set.endsAt, updated_at: now })
    .where('id', '=', id)
    .execute();

// ---- event rules ----

const selectRules = (tx: Tx) =>
  tx
    .selectFrom('event_rules as r')
    .leftJoin('services as s', 's.id', 'r.service_id')
    .select(['r.id', 'r.service_id', 's.name as service_name', 'r.name', 'r.position', 'r.matchers', 'r.actions', 'r.enabled', 'r.created_at', 'r.updated_at']);

type RuleRow = Awaited<ReturnType<ReturnType<typeof selectRules>['executeTakeFirstOrThrow']>>;

const toRuleView = (r: RuleRow): EventRuleView => ({
  id: r.id,
  serviceId: r.service_id,
  serviceName: r.service_name,
  name: r.name,
  position: r.position,
  matchers: r.matchers as Matcher[],
  actions: r.actions as RuleActions,
  enabled: r.enabled,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Global rules first, then each service's (by service name), each in evaluation order. */
export async function listRules(tx: Tx, serviceId?: string): Promise<EventRuleView[]> {
  let q = selectRules(tx);
  if (serviceId) q = q.where('r.service_id', '=', serviceId);
  const rows = await q
    .orderBy(sql`r.service_id is not null`)
    .orderBy(sql`lower(s.name)`)
    .orderBy('r.service_id')
    .orderBy('r.position')
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows.map(toRuleView);
}

export async function findRule(tx: Tx, id: string): Promise<EventRuleView | undefined> {
  const row = await selectRules(tx).where('r.id', '=', id).executeTakeFirst();
  return row && toRuleView(row);
}

/** Serialises changes to one scope's order (the global rules, or one service's). */
export const lockRuleScope = (tx: Tx, serviceId: string | null) =>
  sql`select pg_advisory_xact_lock(hashtext(${`vigil.event_rules:${serviceId ?? 'global'}`}))`.execute(tx);

/** The scope's rule ids in evaluation order (the same order ingestion reads). */
export async function ruleIdsInScope(tx: Tx, serviceId: string | null): Promise<string[]> {
  const q = tx.selectFrom('event_rules').select(['id', 'position']);
  const rows = await (serviceId === null ? q.where('service_id', 'is', null) : q.where('service_id', '=', serviceId))
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Numbers the scope's rules 1..n in the given order, touching only rows whose position changes. */
export async function renumberRules(tx: Tx, serviceId: string | null, ids: readonly string[]): Promise<void> {
  const q = tx.selectFrom('event_rules').select(['id', 'position']);
  const current = new Map(
    (await (serviceId === null ? q.where('service_id', 'is', null) : q.where('service_id', '=', serviceId)).execute()).map((r) => [r.id, r.position]),
  );
  const changed = ids.map((id, i) => [id, i + 1] as const).filter(([id, p]) => current.has(id) && current.get(id) !== p);
  if (changed.length === 0) return;
  await tx
    .updateTable('event_rules')
    .set({ position: sql<number>`case ${sql.join(changed.map(([id, p]) => sql`when id = ${id} then ${p}::integer`), sql` `)} end` })
    .where('id', 'in', changed.map(([id]) => id))
    .execute();
}

export const insertRule = (
  tx: Tx,
  row: { serviceId: string | null; name: string; position: number; matchers: Matcher[]; actions: RuleActions; enabled: boolean; now: Date },
) =>
  tx
    .insertInto('event_rules')
    .values({
      service_id: row.serviceId,
      name: row.name,
      position: row.position,
      matchers: JSON.stringify(row.matchers),
      actions: JSON.stringify(row.actions),
      enabled: row.enabled,
      created_at: row.now,
      updated_at: row.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateRule = (tx: Tx, id: string, set: { name: string; matchers: Matcher[]; actions: RuleActions; enabled: boolean }, now: Date) =>
  tx
    .updateTable('event_rules')
    .set({ name: set.name, matchers: JSON.stringify(set.matchers), actions: JSON.stringify(set.actions), enabled: set.enabled, updated_at: now })
    .where('id', '=', id)
    .execute();

export const deleteRule = (tx: Tx, id: string) => tx.deleteFrom('event_rules').where('id', '=', id).execute();

// ---- a service's alert settings ----

export async function findAlertSettings(tx: Tx, serviceId: string, forUpdate = false) {
  let q = tx.selectFrom('services').select(['id', 'alert_grouping', 'urgency_rule']).where('id', '=', serviceId);
  if (forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && { serviceId: r.id, grouping: r.alert_grouping as AlertGrouping, urgencyRule: (r.urgency_rule as UrgencyRule | null) ?? null };
}

export const updateAlertSettings = (tx: Tx, serviceId: string, set: { grouping: AlertGrouping; urgencyRule: UrgencyRule | null }, now: Date) =>
  tx
    .updateTable('services')
    .set({ alert_grouping: JSON.stringify(set.grouping), urgency_rule: set.urgencyRule === null ? null : JSON.stringify(set.urgencyRule), updated_at: now })
    .where('id', '=', serviceId)
    .execute();
