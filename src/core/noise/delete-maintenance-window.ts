import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { deleteWindow, lockWindow } from './store.ts';

/**
 * Removes a window in any state. Alerts it suppressed keep their record of it (the alert's
 * `suppressedBy` and event log name the window), and the audit row keeps what was deleted.
 */
export async function deleteMaintenanceWindow(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx.actor, 'write');
  await ctx.db.transaction().execute(async (tx) => {
    const row = await lockWindow(tx, id);
    if (!row) throw notFound('maintenance window', id);
    await deleteWindow(tx, id);
    await writeAudit(tx, ctx, {
      action: 'maintenance_window.delete',
      entityType: 'maintenance_window',
      entityId: id,
      data: { serviceId: row.service_id, description: row.description, startsAt: row.starts_at, endsAt: row.ends_at },
    });
  });
}
