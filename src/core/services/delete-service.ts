import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { deleteService as removeService, lockService } from './store.ts';

/** Deletes a service and its integration keys; alerts sent to those keys are refused from then on. */
export async function deleteService(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.db.transaction().execute(async (tx) => {
    const service = await lockService(tx, id);
    if (!service) throw notFound('service', id);
    await removeService(tx, id);
    await writeAudit(tx, ctx, { action: 'service.delete', entityType: 'service', entityId: id, data: { name: service.name } });
  });
}
