import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { type MaintenanceWindow, planWindowEdit } from './noise.ts';
import { findWindow, lockWindow, updateWindow } from './store.ts';

export interface UpdateWindowInput {
  description?: string | undefined;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
}

/**
 * Changes a window's description or times. Ending it now is an `endsAt` of the current time (up to
 * 5 minutes back reads as now). The rules per state are in planWindowEdit.
 */
export async function updateMaintenanceWindow(ctx: Ctx, id: string, input: UpdateWindowInput): Promise<MaintenanceWindow> {
  authorize(ctx.actor, 'write');
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now();
    const row = await lockWindow(tx, id);
    if (!row) throw notFound('maintenance window', id);
    const before = { description: row.description, startsAt: row.starts_at, endsAt: row.ends_at };
    const { value, problems } = planWindowEdit(before, input, now);
    if (problems.length) throw validationError(problems);
    await updateWindow(tx, id, value);
    await writeAudit(tx, ctx, {
      action: 'maintenance_window.update',
      entityType: 'maintenance_window',
      entityId: id,
      data: { serviceId: row.service_id, before, after: value },
    });
    return (await findWindow(tx, id, now))!;
  });
}
