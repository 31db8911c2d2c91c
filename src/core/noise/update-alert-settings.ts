import type { UrgencyRule } from '../alerts/index.ts';
import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { type AlertSettings, effectiveUrgency, type GroupingInput, toGrouping, toUrgencyRule } from './noise.ts';
import { findAlertSettings, updateAlertSettings as writeSettings } from './store.ts';

export interface AlertSettingsInput {
  grouping: GroupingInput;
  /** Null: the default severity → urgency map, at any hour. */
  urgencyRule: UrgencyRule | null;
}

/** Replaces the service's grouping and urgency rule; alerts arriving from the commit on use them. */
export async function updateAlertSettings(ctx: Ctx, serviceId: string, input: AlertSettingsInput): Promise<AlertSettings> {
  authorize(ctx.actor, 'write');
  const grouping = toGrouping(input.grouping);
  const urgency = toUrgencyRule(input.urgencyRule);
  const problems = [...grouping.problems, ...urgency.problems];
  if (problems.length) throw validationError(problems);
  return ctx.db.transaction().execute(async (tx) => {
    const before = await findAlertSettings(tx, serviceId, true);
    if (!before) throw notFound('service', serviceId);
    const after = { grouping: grouping.value, urgencyRule: urgency.value };
    await writeSettings(tx, serviceId, after, ctx.clock.now());
    await writeAudit(tx, ctx, {
      action: 'service.alert_settings.update',
      entityType: 'service',
      entityId: serviceId,
      data: { before: { grouping: before.grouping, urgencyRule: before.urgencyRule }, after },
    });
    return { serviceId, ...after, effectiveUrgency: effectiveUrgency(after.urgencyRule) };
  });
}
