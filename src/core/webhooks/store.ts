import { sql } from 'kysely';
import type { Tx } from '../shared/context.ts';
import { recordset } from '../shared/recordset.ts';
import type { WebhookDeliveryStatus } from '../../storage/schema.ts';
import type { Delivery, EventType, Webhook } from './webhook.ts';

const selectWebhooks = (tx: Tx) =>
  tx
    .selectFrom('webhook_subscriptions as w')
    .leftJoin('services as s', 's.id', 'w.service_id')
    .select(['w.id', 'w.url', 'w.description', 'w.service_id', 's.name as service_name', 'w.events', 'w.enabled', 'w.created_at', 'w.updated_at']);

type WebhookRow = Awaited<ReturnType<ReturnType<typeof selectWebhooks>['executeTakeFirstOrThrow']>>;
const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  url: r.url,
  description: r.description,
  serviceId: r.service_id,
  serviceName: r.service_name,
  events: r.events as EventType[],
  enabled: r.enabled,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function listWebhookRows(tx: Tx): Promise<Webhook[]> {
  return (await selectWebhooks(tx).orderBy('w.created_at').orderBy('w.id').execute()).map(toWebhook);
}

export async function findWebhook(tx: Tx, id: string): Promise<Webhook | null> {
  const row = await selectWebhooks(tx).where('w.id', '=', id).executeTakeFirst();
  return row ? toWebhook(row) : null;
}

export async function lockWebhook(tx: Tx, id: string): Promise<{ id: string; enabled: boolean } | null> {
  return (await tx.selectFrom('webhook_subscriptions').select(['id', 'enabled']).where('id', '=', id).forUpdate().executeTakeFirst()) ?? null;
}

export async function countWebhooks(tx: Tx): Promise<number> {
  const row = await tx.selectFrom('webhook_subscriptions').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export const serviceExists = async (tx: Tx, id: string) => Boolean(await tx.selectFrom('services').select('id').where('id', '=', id).executeTakeFirst());

export async function insertWebhook(
  tx: Tx,
  now: Date,
  w: { url: string; description: string; serviceId: string | null; events: string[]; enabled: boolean; secret: string },
): Promise<string> {
  const row = await tx
    .insertInto('webhook_subscriptions')
    .values({ url: w.url, description: w.description, service_id: w.serviceId, events: JSON.stringify(w.events), enabled: w.enabled, secret: w.secret, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateWebhookRow(
  tx: Tx,
  id: string,
  now: Date,
  set: { url?: string; description?: string; service_id?: string | null; events?: string[]; enabled?: boolean },
): Promise<void> {
  const { events, ...rest } = set;
  await tx
    .updateTable('webhook_subscriptions')
    .set({ ...rest, ...(events ? { events: JSON.stringify(events) } : {}), updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function rotateSecretRow(tx: Tx, id: string, now: Date, secret: string, previousUntil: Date): Promise<void> {
  await sql`update webhook_subscriptions set previous_secret = secret, previous_secret_until = ${previousUntil},
    secret = ${secret}, updated_at = ${now} where id = ${id}`.execute(tx);
}

export async function deleteWebhookRow(tx: Tx, id: string): Promise<void> {
  await tx.deleteFrom('webhook_subscriptions').where('id', '=', id).execute();
}

export interface NewEvent {
  type: string;
  incidentId: string;
  data: Record<string, unknown>;
}

/**
 * One statement for a whole batch of events: each event that at least one enabled subscription
 * wants (its service or every service, its event type) is stored with the incident as it is now
 * in this transaction, and one delivery row is written per (event, matching subscription).
 * Events nobody subscribed to are not stored. Returns the new delivery ids.
 */
export async function insertEventDeliveries(tx: Tx, now: Date, events: readonly NewEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const values = events.map((e, ord) => ({ ord, type: e.type, incident_id: e.incidentId, data: e.data }));
  const wants = (type: ReturnType<typeof sql.ref>, serviceId: ReturnType<typeof sql.ref>) =>
    sql`w.enabled and (w.service_id is null or w.service_id = ${serviceId}) and w.events @> jsonb_build_array(${type})`;
  const { rows } = await sql<{ id: string }>`
    with ev as (
      insert into webhook_events (type, incident_id, service_id, occurred_at, incident, data)
      select v.type, i.id, i.service_id, ${now},
        jsonb_build_object('id', i.id, 'number', i.number, 'title', i.title, 'status', i.status, 'urgency', i.urgency,
          'service', jsonb_build_object('id', s.id, 'name', s.name)),
        coalesce(v.data, '{}'::jsonb)
      from ${recordset(values)} as v(ord int, type text, incident_id uuid, data jsonb)
      join incidents i on i.id = v.incident_id
      join services s on s.id = i.service_id
      where exists (select 1 from webhook_subscriptions w where ${wants(sql.ref('v.type'), sql.ref('i.service_id'))})
      order by v.ord
      returning id, type, service_id
    )
    insert into webhook_deliveries (subscription_id, event_id, status, created_at, updated_at)
    select w.id, ev.id, 'queued', ${now}, ${now}
    from ev join webhook_subscriptions w on ${wants(sql.ref('ev.type'), sql.ref('ev.service_id'))}
    returning id`.execute(tx);
  return rows.map((r) => r.id);
}

/** A `vigil.ping` event and its one delivery, to a subscription enabled or not. */
export async function insertPing(tx: Tx, now: Date, webhookId: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    with ev as (
      insert into webhook_events (type, occurred_at, data) values ('vigil.ping', ${now}, '{}'::jsonb) returning id
    )
    insert into webhook_deliveries (subscription_id, event_id, status, created_at, updated_at)
    select ${webhookId}, ev.id, 'queued', ${now}, ${now} from ev
    returning id`.execute(tx);
  return rows[0]!.id;
}

/** A new delivery of an earlier delivery's event to its subscription (the log keeps both). */
export async function insertRedelivery(tx: Tx, now: Date, webhookId: string, deliveryId: string): Promise<string | null> {
  const { rows } = await sql<{ id: string }>`
    insert into webhook_deliveries (subscription_id, event_id, redelivery_of, status, created_at, updated_at)
    select d.subscription_id, d.event_id, d.id, 'queued', ${now}, ${now}
    from webhook_deliveries d where d.id = ${deliveryId} and d.subscription_id = ${webhookId}
    returning id`.execute(tx);
  return rows[0]?.id ?? null;
}

const selectDeliveries = (tx: Tx) =>
  tx
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      sql<string>`d.seq::text`.as('seq'),
      'd.subscription_id',
      'd.event_id',
      'e.type',
      'e.incident_id',
      'e.occurred_at',
      'd.redelivery_of',
      'd.status',
      'd.attempts',
      'd.last_status_code',
      'd.last_error',
      'd.response_excerpt',
      'd.duration_ms',
      'd.next_attempt_at',
      'd.last_attempt_at',
      'd.delivered_at',
      'd.created_at',
      'd.updated_at',
    ]);

type DeliveryRow = Awaited<ReturnType<ReturnType<typeof selectDeliveries>['executeTakeFirstOrThrow']>>;
const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  webhookId: r.subscription_id,
  eventId: r.event_id,
  eventType: r.type,
  incidentId: r.incident_id,
  occurredAt: r.occurred_at,
  redeliveryOf: r.redelivery_of,
  status: r.status,
  attempts: r.attempts,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  responseExcerpt: r.response_excerpt,
  durationMs: r.duration_ms,
  nextAttemptAt: r.next_attempt_at,
  lastAttemptAt: r.last_attempt_at,
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Newest first, `limit + 1` rows (the extra one says there is a next page), older than `beforeSeq`. */
export async function listDeliveryRows(tx: Tx, webhookId: string, limit: number, beforeSeq: string | null): Promise<{ seq: string; delivery: Delivery }[]> {
  let q = selectDeliveries(tx).where('d.subscription_id', '=', webhookId);
  if (beforeSeq !== null) q = q.where(sql<boolean>`d.seq < ${beforeSeq}::bigint`);
  const rows = await q.orderBy('d.seq', 'desc').limit(limit + 1).execute();
  return rows.map((r) => ({ seq: r.seq, delivery: toDelivery(r) }));
}

export async function findDelivery(tx: Tx, id: string): Promise<Delivery | null> {
  const row = await selectDeliveries(tx).where('d.id', '=', id).executeTakeFirst();
  return row ? toDelivery(row) : null;
}

/** Everything a send needs, with the row locked: the delivery, its event and its subscription. */
export async function lockDeliveryForSend(tx: Tx, id: string) {
  const row = await sql<{
    id: string;
    status: WebhookDeliveryStatus;
    attempts: number;
    updated_at: Date;
    subscription_id: string;
    url: string;
    enabled: boolean;
    secret: string;
    previous_secret: string | null;
    previous_secret_until: Date | null;
    event_id: string;
    type: string;
    occurred_at: Date;
    incident: Record<string, unknown> | null;
    data: Record<string, unknown>;
  }>`
    select d.id, d.status, d.attempts, d.updated_at, w.id as subscription_id, w.url, w.enabled, w.secret,
      w.previous_secret, w.previous_secret_until, e.id as event_id, e.type, e.occurred_at, e.incident, e.data
    from webhook_deliveries d
    join webhook_subscriptions w on w.id = d.subscription_id
    join webhook_events e on e.id = d.event_id
    where d.id = ${id}
    for update of d`.execute(tx);
  return row.rows[0] ?? null;
}

export async function setDelivery(
  tx: Tx,
  id: string,
  now: Date,
  set: {
    status: WebhookDeliveryStatus;
    attempts?: number;
    lastStatusCode?: number | null;
    lastError?: string | null;
    responseExcerpt?: string | null;
    durationMs?: number | null;
    nextAttemptAt?: Date | null;
    lastAttemptAt?: Date;
    deliveredAt?: Date;
  },
): Promise<void> {
  await tx
    .updateTable('webhook_deliveries')
    .set({
      status: set.status,
      updated_at: now,
      ...(set.attempts !== undefined ? { attempts: set.attempts } : {}),
      ...(set.lastStatusCode !== undefined ? { last_status_code: set.lastStatusCode } : {}),
      ...(set.lastError !== undefined ? { last_error: set.lastError } : {}),
      ...(set.responseExcerpt !== undefined ? { response_excerpt: set.responseExcerpt } : {}),
      ...(set.durationMs !== undefined ? { duration_ms: set.durationMs } : {}),
      ...(set.nextAttemptAt !== undefined ? { next_attempt_at: set.nextAttemptAt } : {}),
      ...(set.lastAttemptAt !== undefined ? { last_attempt_at: set.lastAttemptAt } : {}),
      ...(set.deliveredAt !== undefined ? { delivered_at: set.deliveredAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

