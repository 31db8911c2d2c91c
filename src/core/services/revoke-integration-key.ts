import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { findActiveKey, lockService, revokeKey } from './store.ts';

/** Refuses a key from now on. Revoked keys are kept (not deleted) so the audit trail can name them. */
export async function revokeIntegrationKey(ctx: Ctx, serviceId: string, keyId: string): Promise<void> {
  authorize(ctx.actor, 'write');
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await lockService(tx, serviceId))) throw notFound('service', serviceId);
    const key = await findActiveKey(tx, serviceId, keyId);
    if (!key) throw notFound('integration key', keyId);
    await revokeKey(tx, keyId, ctx.clock.now());
    await writeAudit(tx, ctx, { action: 'integration_key.revoke', entityType: 'service', entityId: serviceId, data: { keyId, name: key.name } });
  });
}
