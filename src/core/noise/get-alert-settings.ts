import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { type AlertSettings, effectiveUrgency } from './noise.ts';
import { findAlertSettings } from './store.ts';

/** How the service groups alerts into incidents and maps severities to urgency (defaults filled in). */
export async function getAlertSettings(ctx: Ctx, serviceId: string): Promise<AlertSettings> {
  authorize(ctx.actor, 'read');
  const settings = await findAlertSettings(ctx.db, serviceId);
  if (!settings) throw notFound('service', serviceId);
  return { ...settings, effectiveUrgency: effectiveUrgency(settings.urgencyRule) };
}
