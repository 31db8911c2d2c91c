import { sql } from 'kysely';
import type { Tx } from '../shared/context.ts';
import { dueAt, type Heartbeat, type HeartbeatStatus, previewKey } from './heartbeat.ts';

const COLUMNS = [
  'heartbeats.id',
  'heartbeats.service_id',
  'services.name as service_name',
  'heartbeats.name',
  'heartbeats.key',
  'heartbeats.interval_seconds',
  'heartbeats.status',
  'heartbeats.last_ping_at',
  'heartbeats.created_at',
  'heartbeats.updated_at',
] as const;

const selectHeartbeats = (tx: Tx) => tx.selectFrom('heartbeats').innerJoin('services', 'services.id', 'heartbeats.service_id').select(COLUMNS);

type HeartbeatRow = Awaited<ReturnType<ReturnType<typeof selectHeartbeats>['executeTakeFirstOrThrow']>>;

const toHeartbeat = (r: HeartbeatRow, showKey: boolean): Heartbeat => ({
  id: r.id,
  serviceId: r.service_id,
  serviceName: r.service_name,
  name: r.name,
  key: showKey ? r.key : null,
  keyPreview: previewKey(r.key),
  intervalSeconds: r.interval_seconds,
  status: r.status,
  lastPingAt: r.last_ping_at,
  nextDueAt: dueAt({ intervalSeconds: r.interval_seconds, lastPingAt: r.last_ping_at, createdAt: r.created_at }),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Heartbeats by service name, then name; of one service when `serviceId` is given. */
export async function listHeartbeats(tx: Tx, serviceId: string | undefined, showKeys: boolean): Promise<Heartbeat[]> {
  let q = selectHeartbeats(tx);
  if (serviceId !== undefined) q = q.where('heartbeats.service_id', '=', serviceId);
  const rows = await q.orderBy(sql`lower(services.name)`).orderBy(sql`lower(heartbeats.name)`).orderBy('heartbeats.id').execute();
  return rows.map((r) => toHeartbeat(r, showKeys));
}

export async function findHeartbeat(tx: Tx, id: string, showKey: boolean): Promise<Heartbeat | undefined> {
  const row = await selectHeartbeats(tx).where('heartbeats.id', '=', id).executeTakeFirst();
  return row && toHeartbeat(row, showKey);
}

/** The row itself, locked: pings, checks and edits of one heartbeat serialise on it. */
export interface LockedHeartbeat {
  id: string;
  service_id: string;
  name: string;
  key: string;
  interval_seconds: number;
  status: HeartbeatStatus;
  last_ping_at: Date | null;
  created_at: Date;
}

const LOCK_COLUMNS = ['id', 'service_id', 'name', 'key', 'interval_seconds', 'status', 'last_ping_at', 'created_at'] as const;

export const lockHeartbeat = (tx: Tx, id: string): Promise<LockedHeartbeat | undefined> =>
  tx.selectFrom('heartbeats').select(LOCK_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();

export const lockHeartbeatByKey = (tx: Tx, key: string): Promise<LockedHeartbeat | undefined> =>
  tx.selectFrom('heartbeats').select(LOCK_COLUMNS).where('key', '=', key).forUpdate().executeTakeFirst();

export const findServiceName = (tx: Tx, serviceId: string) => tx.selectFrom('services').select('name').where('id', '=', serviceId).executeTakeFirst();

/** Names are unique per service, compared case-insensitively (as the unique index does). */
export const findHeartbeatIdByName = (tx: Tx, serviceId: string, name: string, exceptId?: string) => {
  let q = tx
    .selectFrom('heartbeats')
    .select('id')
    .where('service_id', '=', serviceId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.executeTakeFirst();
};

export const insertHeartbeat = (tx: Tx, row: { service_id: string; name: string; key: string; interval_seconds: number; now: Date }) =>
  tx
    .insertInto('heartbeats')
    .values({
      service_id: row.service_id,
      name: row.name,
      key: row.key,
      interval_seconds: row.interval_seconds,
      status: 'pending',
      last_ping_at: null,
      created_at: row.now,
      updated_at: row.now,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();

export const updateHeartbeat = (tx: Tx, id: string, set: { name?: string; interval_seconds?: number }, now: Date) =>
  tx.updateTable('heartbeats').set({ ...set, updated_at: now }).where('id', '=', id).execute();

/** A ping: the heartbeat is up, last pinged now. */
export const recordPing = (tx: Tx, id: string, now: Date) =>
  tx.updateTable('heartbeats').set({ last_ping_at: now, status: 'up' }).where('id', '=', id).execute();

export const markDown = (tx: Tx, id: string) => tx.updateTable('heartbeats').set({ status: 'down' }).where('id', '=', id).execute();

export const deleteHeartbeat = (tx: Tx, id: string) => tx.deleteFrom('heartbeats').where('id', '=', id).execute();
