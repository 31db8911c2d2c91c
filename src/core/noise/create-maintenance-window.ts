import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { DomainError, validationError } from '../shared/errors.ts';
import { actorName, MAX_OPEN_WINDOWS_PER_SERVICE, type MaintenanceWindow, planNewWindow } from './noise.ts';
import { countOpenWindows, findServiceName, findWindow, insertWindow } from './store.ts';

export interface CreateWindowInput {
  serviceId: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Schedules a maintenance window: while it is active, every new alert of the service is recorded
 * as suppressed and pages nobody.
 */
export async function createMaintenanceWindow(ctx: Ctx, input: CreateWindowInput): Promise<MaintenanceWindow> {
  authorize(ctx.actor, 'write');
  const now = ctx.clock.now();
  const { value, problems } = planNewWindow(input, now);
  if (problems.length) throw validationError(problems);
  return ctx.db.transaction().execute(async (tx) => {
    if (!(await findServiceName(tx, input.serviceId))) throw validationError([{ field: 'serviceId', reason: 'no such service' }]);
    if ((await countOpenWindows(tx, input.serviceId, now)) >= MAX_OPEN_WINDOWS_PER_SERVICE) {
      throw new DomainError('LIMIT_EXCEEDED', `A service may have at most ${MAX_OPEN_WINDOWS_PER_SERVICE} active or upcoming maintenance windows.`, {
        limit: MAX_OPEN_WINDOWS_PER_SERVICE,
      });
    }
    const { id } = await insertWindow(tx, { ...value, serviceId: input.serviceId, createdBy: actorName(ctx.actor), now });
    await writeAudit(tx, ctx, {
      action: 'maintenance_window.create',
      entityType: 'maintenance_window',
      entityId: id,
      data: { serviceId: input.serviceId, description: value.description, startsAt: value.startsAt, endsAt: value.endsAt },
    });
    return (await findWindow(tx, id, now))!;
  });
}
