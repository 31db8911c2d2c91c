import { sql } from 'kysely';
import type { Tx } from '../shared/context.ts';
import { type IntegrationKey, previewKey, type Service } from './service.ts';

const SERVICE_COLUMNS = [
  'services.id',
  'services.name',
  'services.description',
  'services.team_id',
  'teams.name as team_name',
  'services.runbook_url',
  'services.escalation_policy_id',
  'services.created_at',
  'services.updated_at',
] as const;

const selectServices = (tx: Tx) => tx.selectFrom('services').leftJoin('teams', 'teams.id', 'services.team_id').select(SERVICE_COLUMNS);

type ServiceRow = Awaited<ReturnType<ReturnType<typeof selectServices>['executeTakeFirstOrThrow']>>;
type KeyRow = { id: string; service_id: string; name: string; key: string; created_at: Date };

function toService(row: ServiceRow, keys: KeyRow[], showKeys: boolean): Service {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    teamId: row.team_id,
    teamName: row.team_name,
    runbookUrl: row.runbook_url,
    escalationPolicyId: row.escalation_policy_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    integrationKeys: keys.filter((k) => k.service_id === row.id).map((k) => toIntegrationKey(k, showKeys)),
  };
}

export const toIntegrationKey = (k: KeyRow, showKey: boolean): IntegrationKey => ({
  id: k.id,
  name: k.name,
  key: showKey ? k.key : null,
  keyPreview: previewKey(k.key),
  createdAt: k.created_at,
});

const activeKeysOf = (tx: Tx, serviceIds: string[]) =>
  serviceIds.length === 0
    ? Promise.resolve([] as KeyRow[])
    : tx
        .selectFrom('integration_keys')
        .select(['id', 'service_id', 'name', 'key', 'created_at'])
        .where('service_id', 'in', serviceIds)
        .where('revoked_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .execute();

/** Every service with its active keys: two queries, however many services. */
export async function listServices(tx: Tx, showKeys: boolean): Promise<Service[]> {
  const rows = await selectServices(tx).orderBy(sql`lower(services.name)`).execute();
  const keys = await activeKeysOf(tx, rows.map((r) => r.id));
  return rows.map((r) => toService(r, keys, showKeys));
}

export async function findService(tx: Tx, id: string, showKeys: boolean): Promise<Service | undefined> {
  const row = await selectServices(tx).where('services.id', '=', id).executeTakeFirst();
  return row && toService(row, await activeKeysOf(tx, [row.id]), showKeys);
}

/** Locks the service row so concurrent key changes on one service serialise. */
export const lockService = (tx: Tx, id: string) =>
  tx.selectFrom('services').select(['id', 'name']).where('id', '=', id).forUpdate().executeTakeFirst();

export const findServiceIdByName = (tx: Tx, name: string, exceptId?: string) => {
  let q = tx.selectFrom('services').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.executeTakeFirst();
};

export const insertService = (
  tx: Tx,
  row: { name: string; description: string; team_id: string | null; runbook_url: string | null; now: Date },
) =>
  tx
    .insertInto('services')
    .values({ name: row.name, description: row.description, team_id: row.team_id, runbook_url: row.runbook_url, created_at: row.now, updated_at: row.now })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateService = (
  tx: Tx,
  id: string,
  set: { name?: string; description?: string; team_id?: string | null; runbook_url?: string | null },
  now: Date,
) => tx.updateTable('services').set({ ...set, updated_at: now }).where('id', '=', id).executeTakeFirst();

export const deleteService = (tx: Tx, id: string) => tx.deleteFrom('services').where('id', '=', id).executeTakeFirst();

export const insertIntegrationKey = (tx: Tx, row: { service_id: string; key: string; name: string; created_at: Date }) =>
  tx.insertInto('integration_keys').values(row).returning(['id', 'service_id', 'name', 'key', 'created_at']).executeTakeFirstOrThrow();

export const findActiveKey = (tx: Tx, serviceId: string, keyId: string) =>
  tx
    .selectFrom('integration_keys')
    .select(['id', 'service_id', 'name', 'key', 'created_at'])
    .where('id', '=', keyId)
    .where('service_id', '=', serviceId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();

export const revokeKey = (tx: Tx, keyId: string, now: Date) =>
  tx.updateTable('integration_keys').set({ revoked_at: now }).where('id', '=', keyId).execute();

/** The service an active integration key routes to (used by alert ingestion). */
export const findServiceIdByKey = (tx: Tx, key: string) =>
  tx.selectFrom('integration_keys').select('service_id').where('key', '=', key).where('revoked_at', 'is', null).executeTakeFirst();
