import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { type IntegrationKey, newIntegrationKey } from './service.ts';
import { findActiveKey, insertIntegrationKey, lockService, revokeKey, toIntegrationKey } from './store.ts';

/**
 * Replaces a key in one transaction: the new key (same name) works and the old one is refused
 * from the same instant, so there is no moment with neither or both.
 */
export async function rotateIntegrationKey(ctx: Ctx, serviceId: string, keyId: string): Promise<IntegrationKey> {
  authorize(ctx.actor, 'write');
  return ctx.db.transaction().execute(async (tx) => {
    if (!(await lockService(tx, serviceId))) throw notFound('service', serviceId);
    const old = await findActiveKey(tx, serviceId, keyId);
    if (!old) throw notFound('integration key', keyId);
    const now = ctx.clock.now();
    await revokeKey(tx, keyId, now);
    const row = await insertIntegrationKey(tx, { service_id: serviceId, key: newIntegrationKey(), name: old.name, created_at: now });
    await writeAudit(tx, ctx, { action: 'integration_key.rotate', entityType: 'service', entityId: serviceId, data: { oldKeyId: keyId, newKeyId: row.id } });
    return toIntegrationKey(row, true);
  });
}
