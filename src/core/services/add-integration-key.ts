import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { checkName } from '../users/index.ts';
import { type IntegrationKey, newIntegrationKey } from './service.ts';
import { insertIntegrationKey, lockService, toIntegrationKey } from './store.ts';

/** Adds another key to a service (one per sender, so each can be revoked alone). */
export async function addIntegrationKey(ctx: Ctx, serviceId: string, input: { name?: string | undefined }): Promise<IntegrationKey> {
  authorize(ctx.actor, 'write');
  const name = input.name?.trim() || 'default';
  const problem = checkName(name);
  if (problem) throw validationError([problem]);
  return ctx.db.transaction().execute(async (tx) => {
    if (!(await lockService(tx, serviceId))) throw notFound('service', serviceId);
    const row = await insertIntegrationKey(tx, { service_id: serviceId, key: newIntegrationKey(), name, created_at: ctx.clock.now() });
    await writeAudit(tx, ctx, { action: 'integration_key.create', entityType: 'service', entityId: serviceId, data: { keyId: row.id, name } });
    return toIntegrationKey(row, true);
  });
}
