import { sql } from 'kysely';
import type { Tx } from '../shared/context.ts';
import type { LayerVersion, OverrideRecord, ScheduleRecord, SwapRecord, SwapStatus, TemporaryRecord, UserRef } from './records.ts';
import type { Layer } from './schedule.ts';

// The only file of core/schedules that writes SQL. Every function takes the transaction.

const SCHEDULE_COLUMNS = ['id', 'name', 'description', 'team_id', 'time_zone', 'layers', 'layers_from', 'created_at', 'updated_at'] as const;

type ScheduleRow = {
  id: string;
  name: string;
  description: string;
  team_id: string | null;
  time_zone: string;
  layers: unknown[];
  layers_from: Date | null;
  created_at: Date;
  updated_at: Date;
};

const toSchedule = (r: ScheduleRow): ScheduleRecord => ({
  id: r.id,
  name: r.name,
  description: r.description,
  teamId: r.team_id,
  timeZone: r.time_zone,
  layers: r.layers as Layer[],
  layersFrom: r.layers_from,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function findSchedule(tx: Tx, id: string): Promise<ScheduleRecord | undefined> {
  const row = await tx.selectFrom('schedules').select(SCHEDULE_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toSchedule(row);
}

/** The schedule row, locked: edits, overrides and swaps of one schedule serialise on it. */
export async function lockSchedule(tx: Tx, id: string): Promise<ScheduleRecord | undefined> {
  const row = await tx.selectFrom('schedules').select(SCHEDULE_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toSchedule(row);
}

/** Schedules by name (case-insensitively), then id. */
export async function listSchedules(tx: Tx): Promise<ScheduleRecord[]> {
  const rows = await tx.selectFrom('schedules').select(SCHEDULE_COLUMNS).orderBy(sql`lower(name)`).orderBy('id').execute();
  return rows.map(toSchedule);
}

/** Names are unique compared case-insensitively, as the unique index does. */
export const findScheduleIdByName = (tx: Tx, name: string, exceptId?: string) => {
  let q = tx.selectFrom('schedules').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.executeTakeFirst();
};

export const insertSchedule = (tx: Tx, row: { name: string; description: string; teamId: string | null; timeZone: string; layers: Layer[]; now: Date }) =>
  tx
    .insertInto('schedules')
    .values({
      name: row.name,
      description: row.description,
      team_id: row.teamId,
      time_zone: row.timeZone,
      layers: JSON.stringify(row.layers),
      layers_from: null,
      created_at: row.now,
      updated_at: row.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateSchedule = (
  tx: Tx,
  id: string,
  set: { name?: string; description?: string; team_id?: string | null; time_zone?: string; layers?: Layer[]; layers_from?: Date | null },
  now: Date,
) => {
  const { layers, ...rest } = set;
  return tx
    .updateTable('schedules')
    .set({ ...rest, ...(layers ? { layers: JSON.stringify(layers) } : {}), updated_at: now })
    .where('id', '=', id)
    .execute();
};

export const deleteSchedule = (tx: Tx, id: string) => tx.deleteFrom('schedules').where('id', '=', id).execute();

export const insertLayerHistory = (tx: Tx, row: { scheduleId: string; layers: Layer[]; validFrom: Date | null; validTo: Date; now: Date }) =>
  tx
    .insertInto('schedule_layer_history')
    .values({ schedule_id: row.scheduleId, layers: JSON.stringify(row.layers), valid_from: row.validFrom, valid_to: row.validTo, created_at: row.now })
    .execute();

/**
 * The layer versions of the given schedules that were in force at some time in [from, to), the
 * current one included, each schedule's versions in time order.
 */
export async function findLayerVersions(tx: Tx, schedules: ScheduleRecord[], from: Date, to: Date): Promise<Map<string, LayerVersion[]>> {
  const out = new Map<string, LayerVersion[]>(schedules.map((s) => [s.id, []]));
  if (schedules.length === 0) return out;
  const rows = await tx
    .selectFrom('schedule_layer_history')
    .select(['schedule_id', 'layers', 'valid_from', 'valid_to'])
    .where(
      'schedule_id',
      'in',
      schedules.map((s) => s.id),
    )
    .where('valid_to', '>', from)
    .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<', to)]))
    .orderBy('valid_to')
    .execute();
  for (const r of rows) out.get(r.schedule_id)!.push({ layers: r.layers as Layer[], from: r.valid_from, to: r.valid_to });
  for (const s of schedules) out.get(s.id)!.push({ layers: s.layers, from: s.layersFrom, to: null });
  return out;
}

const OVERRIDE_COLUMNS = ['id', 'schedule_id', 'user_id', 'replaces_user_id', 'starts_at', 'ends_at', 'note', 'created_by', 'created_at'] as const;

const toOverride = (r: {
  id: string;
  schedule_id: string;
  user_id: string | null;
  replaces_user_id: string | null;
  starts_at: Date;
  ends_at: Date;
  note: string;
  created_by: string | null;
  created_at: Date;
}): OverrideRecord => ({
  id: r.id,
  scheduleId: r.schedule_id,
  userId: r.user_id,
  replacesUserId: r.replaces_user_id,
  start: r.starts_at,
  end: r.ends_at,
  note: r.note,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Overrides of the given schedules overlapping [from, to), in creation order (later ones win). */
export async function findOverrides(tx: Tx, scheduleIds: string[], from: Date, to: Date): Promise<OverrideRecord[]> {
  if (scheduleIds.length === 0) return [];
  const rows = await tx
    .selectFrom('schedule_overrides')
    .select(OVERRIDE_COLUMNS)
    .where('schedule_id', 'in', scheduleIds)
    .where('ends_at', '>', from)
    .where('starts_at', '<', to)
    .orderBy('seq')
    .execute();
  return rows.map(toOverride);
}

export async function findOverride(tx: Tx, scheduleId: string, id: string): Promise<OverrideRecord | undefined> {
  const row = await tx.selectFrom('schedule_overrides').select(OVERRIDE_COLUMNS).where('schedule_id', '=', scheduleId).where('id', '=', id).executeTakeFirst();
  return row && toOverride(row);
}

export async function insertOverride(
  tx: Tx,
  row: { scheduleId: string; userId: string | null; replacesUserId: string | null; start: Date; end: Date; note: string; createdBy: string | null; now: Date },
): Promise<OverrideRecord> {
  const inserted = await tx
    .insertInto('schedule_overrides')
    .values({
      schedule_id: row.scheduleId,
      user_id: row.userId,
      replaces_user_id: row.replacesUserId,
      starts_at: row.start,
      ends_at: row.end,
      note: row.note,
      created_by: row.createdBy,
      created_at: row.now,
    })
    .returning(OVERRIDE_COLUMNS)
    .executeTakeFirstOrThrow();
  return toOverride(inserted);
}

export const deleteOverride = (tx: Tx, id: string) => tx.deleteFrom('schedule_overrides').where('id', '=', id).execute();

const TEMPORARY_COLUMNS = ['id', 'schedule_id', 'starts_at', 'ends_at', 'shifts', 'note', 'created_by', 'created_at'] as const;

const toTemporary = (r: {
  id: string;
  schedule_id: string;
  starts_at: Date;
  ends_at: Date;
  shifts: TemporaryRecord['shifts'];
  note: string;
  created_by: string | null;
  created_at: Date;
}): TemporaryRecord => ({
  id: r.id,
  scheduleId: r.schedule_id,
  start: r.starts_at,
  end: r.ends_at,
  shifts: r.shifts,
  note: r.note,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Temporary schedules of the given schedules overlapping [from, to), by start. */
export async function findTemporaries(tx: Tx, scheduleIds: string[], from: Date, to: Date): Promise<TemporaryRecord[]> {
  if (scheduleIds.length === 0) return [];
  const rows = await tx
    .selectFrom('schedule_temporary')
    .select(TEMPORARY_COLUMNS)
    .where('schedule_id', 'in', scheduleIds)
    .where('ends_at', '>', from)
    .where('starts_at', '<', to)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
  return rows.map(toTemporary);
}

export async function findTemporary(tx: Tx, scheduleId: string, id: string): Promise<TemporaryRecord | undefined> {
  const row = await tx.selectFrom('schedule_temporary').select(TEMPORARY_COLUMNS).where('schedule_id', '=', scheduleId).where('id', '=', id).executeTakeFirst();
  return row && toTemporary(row);
}

export async function insertTemporary(
  tx: Tx,
  row: { scheduleId: string; start: Date; end: Date; shifts: TemporaryRecord['shifts']; note: string; createdBy: string | null; now: Date },
): Promise<TemporaryRecord> {
  const inserted = await tx
    .insertInto('schedule_temporary')
    .values({
      schedule_id: row.scheduleId,
      starts_at: row.start,
      ends_at: row.end,
      shifts: JSON.stringify(row.shifts),
      note: row.note,
      created_by: row.createdBy,
      created_at: row.now,
    })
    .returning(TEMPORARY_COLUMNS)
    .executeTakeFirstOrThrow();
  return toTemporary(inserted);
}

export const deleteTemporary = (tx: Tx, id: string) => tx.deleteFrom('schedule_temporary').where('id', '=', id).execute();

const SWAP_COLUMNS = ['id', 'schedule_id', 'requester_id', 'recipient_id', 'starts_at', 'ends_at', 'status', 'note', 'override_id', 'created_at', 'decided_at'] as const;

const toSwap = (r: {
  id: string;
  schedule_id: string;
  requester_id: string;
  recipient_id: string;
  starts_at: Date;
  ends_at: Date;
  status: SwapStatus;
  note: string;
  override_id: string | null;
  created_at: Date;
  decided_at: Date | null;
}): SwapRecord => ({
  id: r.id,
  scheduleId: r.schedule_id,
  requesterId: r.requester_id,
  recipientId: r.recipient_id,
  start: r.starts_at,
  end: r.ends_at,
  status: r.status,
  note: r.note,
  overrideId: r.override_id,
  createdAt: r.created_at,
  decidedAt: r.decided_at,
});

/** A schedule's swaps, newest first; only those in `status` when given. */
export async function listSwaps(tx: Tx, scheduleId: string, status?: SwapStatus): Promise<SwapRecord[]> {
  let q = tx.selectFrom('shift_swaps').select(SWAP_COLUMNS).where('schedule_id', '=', scheduleId);
  if (status) q = q.where('status', '=', status);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(toSwap);
}

export async function lockSwap(tx: Tx, scheduleId: string, id: string): Promise<SwapRecord | undefined> {
  const row = await tx.selectFrom('shift_swaps').select(SWAP_COLUMNS).where('schedule_id', '=', scheduleId).where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toSwap(row);
}

export async function insertSwap(tx: Tx, row: { scheduleId: string; requesterId: string; recipientId: string; start: Date; end: Date; note: string; now: Date }): Promise<SwapRecord> {
  const inserted = await tx
    .insertInto('shift_swaps')
    .values({
      schedule_id: row.scheduleId,
      requester_id: row.requesterId,
      recipient_id: row.recipientId,
      starts_at: row.start,
      ends_at: row.end,
      status: 'requested',
      note: row.note,
      override_id: null,
      created_at: row.now,
      decided_at: null,
    })
    .returning(SWAP_COLUMNS)
    .executeTakeFirstOrThrow();
  return toSwap(inserted);
}

export async function decideSwap(tx: Tx, id: string, status: Exclude<SwapStatus, 'requested'>, overrideId: string | null, now: Date): Promise<SwapRecord> {
  const row = await tx
    .updateTable('shift_swaps')
    .set({ status, override_id: overrideId, decided_at: now })
    .where('id', '=', id)
    .returning(SWAP_COLUMNS)
    .executeTakeFirstOrThrow();
  return toSwap(row);
}

/** The ids among `ids` that are users. */
export async function existingUserIds(tx: Tx, ids: Iterable<string>): Promise<Set<string>> {
  const unique = [...new Set(ids)].filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  if (unique.length === 0) return new Set();
  const rows = await tx.selectFrom('users').select('id').where('id', 'in', unique).execute();
  return new Set(rows.map((r) => r.id));
}

/** Id and name of each user among `ids` (unknown ids are left out). */
export async function userRefs(tx: Tx, ids: Iterable<string | null>): Promise<Map<string, UserRef>> {
  const unique = [...new Set([...ids].filter((id): id is string => id !== null))];
  if (unique.length === 0) return new Map();
  const rows = await tx.selectFrom('users').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name }]));
}


// ——— calendar feeds ———

export interface CalendarFeedRow {
  id: string;
  user_id: string;
  schedule_id: string | null;
  token_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

const FEED_COLUMNS = ['id', 'user_id', 'schedule_id', 'token_prefix', 'created_at', 'revoked_at'] as const;

export const insertCalendarFeed = (tx: Tx, row: { userId: string; scheduleId: string | null; tokenHash: string; tokenPrefix: string; now: Date }): Promise<CalendarFeedRow> =>
  tx
    .insertInto('calendar_feeds')
    .values({ user_id: row.userId, schedule_id: row.scheduleId, token_hash: row.tokenHash, token_prefix: row.tokenPrefix, created_at: row.now, revoked_at: null })
    .returning(FEED_COLUMNS)
    .executeTakeFirstOrThrow();

/** The live (not revoked) feeds of a user, newest first, with their schedule's name. */
export const listCalendarFeedsOfUser = (tx: Tx, userId: string) =>
  tx
    .selectFrom('calendar_feeds as f')
    .leftJoin('schedules as s', 's.id', 'f.schedule_id')
    .select(['f.id', 'f.user_id', 'f.schedule_id', 'f.token_prefix', 'f.created_at', 'f.revoked_at', 's.name as schedule_name'])
    .where('f.user_id', '=', userId)
    .where('f.revoked_at', 'is', null)
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id')
    .execute();

export const lockCalendarFeed = (tx: Tx, id: string) => tx.selectFrom('calendar_feeds').select(FEED_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();

export const revokeCalendarFeedRow = (tx: Tx, id: string, now: Date) => tx.updateTable('calendar_feeds').set({ revoked_at: now }).where('id', '=', id).execute();

/** The live feed with this token hash, with its owner's name. */
export const findLiveCalendarFeedByHash = (tx: Tx, tokenHash: string) =>
  tx
    .selectFrom('calendar_feeds as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['f.id', 'f.user_id', 'f.schedule_id', 'u.name as user_name'])
    .where('f.token_hash', '=', tokenHash)
    .where('f.revoked_at', 'is', null)
    .executeTakeFirst();
