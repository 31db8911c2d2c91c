import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { deleteTemporary, findTemporary, lockSchedule } from './store.ts';

export async function deleteTemporarySchedule(ctx: Ctx, scheduleId: string, temporaryId: string): Promise<void> {
  authorize(ctx.actor, 'write');
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await lockSchedule(tx, scheduleId))) throw notFound('schedule', scheduleId);
    const temporary = await findTemporary(tx, scheduleId, temporaryId);
    if (!temporary) throw notFound('temporary schedule', temporaryId);
    await deleteTemporary(tx, temporaryId);
    await writeAudit(tx, ctx, {
      action: 'schedule.temporary.delete',
      entityType: 'schedule',
      entityId: scheduleId,
      data: { temporaryId, start: temporary.start.toISOString(), end: temporary.end.toISOString() },
    });
  });
}
