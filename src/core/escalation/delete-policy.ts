import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { deletePolicy as removePolicy, lockPolicy, servicesUsing } from './store.ts';

/**
 * Deletes a policy (admins only). A policy that services page through is not deleted: CONFLICT
 * names those services (`details.services`), so no service is left paging nobody by accident.
 * Escalations already running keep their snapshot either way.
 */
export async function deletePolicy(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.db.transaction().execute(async (tx) => {
    const policy = await lockPolicy(tx, id);
    if (!policy) throw notFound('escalation policy', id);
    const services = (await servicesUsing(tx, [id])).get(id) ?? [];
    if (services.length) {
      throw conflict(
        `Escalation policy "${policy.name}" is used by ${services.map((s) => `"${s.name}"`).join(', ')}; point ${services.length === 1 ? 'that service' : 'those services'} at another policy first.`,
        { services },
      );
    }
    await removePolicy(tx, id);
    await writeAudit(tx, ctx, { action: 'escalation-policy.delete', entityType: 'escalation-policy', entityId: id, data: { name: policy.name } });
  });
}
