import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { deleteSchedule as removeSchedule, lockSchedule } from './store.ts';

/** Deletes a schedule with its history, overrides, temporary schedules and swaps (admins only). */
export async function deleteSchedule(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.db.transaction().execute(async (tx) => {
    const schedule = await lockSchedule(tx, id);
    if (!schedule) throw notFound('schedule', id);
    await removeSchedule(tx, id);
    await writeAudit(tx, ctx, { action: 'schedule.delete', entityType: 'schedule', entityId: id, data: { name: schedule.name } });
  });
}
