import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { deleteOverride as removeOverride, findOverride, lockSchedule } from './store.ts';

export async function deleteOverride(ctx: Ctx, scheduleId: string, overrideId: string): Promise<void> {
  authorize(ctx.actor, 'write');
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await lockSchedule(tx, scheduleId))) throw notFound('schedule', scheduleId);
    const override = await findOverride(tx, scheduleId, overrideId);
    if (!override) throw notFound('override', overrideId);
    await removeOverride(tx, overrideId);
    await writeAudit(tx, ctx, {
      action: 'schedule.override.delete',
      entityType: 'schedule',
      entityId: scheduleId,
      data: { overrideId, userId: override.userId, replacesUserId: override.replacesUserId, start: override.start.toISOString(), end: override.end.toISOString() },
    });
  });
}
