import { sql } from 'kysely';
import type { Tx } from '../shared/context.ts';
import type { Level, Policy, TargetType } from './policy.ts';

const POLICY_COLUMNS = ['id', 'name', 'description', 'team_id', 'repeat', 'levels', 'version', 'created_at', 'updated_at'] as const;

type PolicyRow = {
  id: string;
  name: string;
  description: string;
  team_id: string | null;
  repeat: number;
  levels: unknown[];
  version: number;
  created_at: Date;
  updated_at: Date;
};

const toPolicy = (r: PolicyRow): Policy => ({
  id: r.id,
  name: r.name,
  description: r.description,
  teamId: r.team_id,
  repeat: r.repeat,
  levels: r.levels as Level[],
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const findPolicy = async (tx: Tx, id: string): Promise<Policy | undefined> => {
  const row = await tx.selectFrom('escalation_policies').select(POLICY_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toPolicy(row);
};

/** The policy row, locked until the transaction ends, so concurrent edits serialise. */
export const lockPolicy = async (tx: Tx, id: string): Promise<Policy | undefined> => {
  const row = await tx.selectFrom('escalation_policies').select(POLICY_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toPolicy(row);
};

/** The policy row, share-locked: it cannot be deleted or changed until the transaction ends. */
export const sharePolicy = async (tx: Tx, id: string): Promise<Policy | undefined> => {
  const row = await tx.selectFrom('escalation_policies').select(POLICY_COLUMNS).where('id', '=', id).forShare().executeTakeFirst();
  return row && toPolicy(row);
};

export const listPolicies = async (tx: Tx): Promise<Policy[]> =>
  (await tx.selectFrom('escalation_policies').select(POLICY_COLUMNS).orderBy(sql`lower(name)`).orderBy('id').execute()).map(toPolicy);

export const findPolicyIdByName = (tx: Tx, name: string, exceptId?: string) => {
  let q = tx.selectFrom('escalation_policies').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.executeTakeFirst();
};

export const insertPolicy = (tx: Tx, row: { name: string; description: string; teamId: string | null; repeat: number; levels: Level[]; now: Date }) =>
  tx
    .insertInto('escalation_policies')
    .values({
      name: row.name,
      description: row.description,
      team_id: row.teamId,
      repeat: row.repeat,
      levels: JSON.stringify(row.levels),
      created_at: row.now,
      updated_at: row.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

/** Writes the fields given and counts the edit in `version`. */
export const updatePolicy = (
  tx: Tx,
  id: string,
  set: { name?: string; description?: string; team_id?: string | null; repeat?: number; levels?: Level[] },
  now: Date,
) => {
  const { levels, ...rest } = set;
  return tx
    .updateTable('escalation_policies')
    .set({ ...rest, ...(levels ? { levels: JSON.stringify(levels) } : {}), version: sql<number>`version + 1`, updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
};

export const deletePolicy = (tx: Tx, id: string) => tx.deleteFrom('escalation_policies').where('id', '=', id).executeTakeFirst();

/** The services paging through each of the policies, by name. */
export async function servicesUsing(tx: Tx, policyIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>(policyIds.map((id) => [id, []]));
  if (policyIds.length === 0) return out;
  const rows = await tx
    .selectFrom('services')
    .select(['id', 'name', 'escalation_policy_id'])
    .where('escalation_policy_id', 'in', policyIds)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
  for (const r of rows) out.get(r.escalation_policy_id!)?.push({ id: r.id, name: r.name });
  return out;
}

/** A service's row, locked; its policy pointer is this domain's column. */
export const lockServicePolicy = (tx: Tx, serviceId: string) =>
  tx.selectFrom('services').select(['id', 'name', 'escalation_policy_id']).where('id', '=', serviceId).forUpdate().executeTakeFirst();

export const findServicePolicyId = (tx: Tx, serviceId: string) =>
  tx.selectFrom('services').select(['id', 'escalation_policy_id']).where('id', '=', serviceId).executeTakeFirst();

export const setServicePolicy = (tx: Tx, serviceId: string, policyId: string | null, now: Date) =>
  tx.updateTable('services').set({ escalation_policy_id: policyId, updated_at: now }).where('id', '=', serviceId).execute();

const TABLE = { user: 'users', schedule: 'schedules', team: 'teams' } as const;

/** The names of the users, schedules and teams among `ids`, by type then id (missing ones are absent). */
export async function targetNames(tx: Tx, ids: { type: TargetType; id: string }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // One after another: a transaction is one connection.
  for (const type of ['user', 'schedule', 'team'] as const) {
    const wanted = [...new Set(ids.filter((t) => t.type === type).map((t) => t.id))];
    if (wanted.length === 0) continue;
    const rows = await tx.selectFrom(TABLE[type]).select(['id', 'name']).where('id', 'in', wanted).execute();
    for (const r of rows) out.set(`${type}:${r.id}`, r.name);
  }
  return out;
}
