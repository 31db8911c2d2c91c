import { writeAudit } from '../shared/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { authorizeOwn } from './access.ts';
import { deleteMethod, lockMethod } from './store.ts';

/** Removes a method and the notification rules that used it. */
export async function deleteContactMethod(ctx: Ctx, userId: string, methodId: string): Promise<void> {
  authorizeOwn(ctx, userId, true);
  await ctx.db.transaction().execute(async (tx) => {
    const m = await lockMethod(tx, userId, methodId);
    if (!m) throw notFound('contact method', methodId);
    await deleteMethod(tx, m.id);
    await writeAudit(tx, ctx, { action: 'contact_method.delete', entityType: 'user', entityId: userId, data: { contactMethodId: m.id, type: m.type, label: m.label } });
  });
}
