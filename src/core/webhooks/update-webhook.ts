import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { type FieldError, notFound, validationError } from '../shared/errors.ts';
import type { CreateWebhookInput } from './create-webhook.ts';
import { findWebhook, lockWebhook, serviceExists, updateWebhookRow } from './store.ts';
import { checkDescription, checkEvents, checkUrl, type Webhook } from './webhook.ts';

/** Changes the fields given (`serviceId: null`: every service). Deliveries already queued keep going to the URL they find when they run. */
export async function updateWebhook(ctx: Ctx, id: string, input: Partial<CreateWebhookInput>): Promise<Webhook> {
  authorize(ctx.actor, 'admin');
  const set: { url?: string; description?: string; service_id?: string | null; events?: string[]; enabled?: boolean } = {};
  const problems: (FieldError | null)[] = [];
  if (input.url !== undefined) problems.push(checkUrl((set.url = input.url.trim())));
  if (input.description !== undefined) problems.push(checkDescription((set.description = input.description.trim())));
  if (input.events !== undefined) problems.push(checkEvents((set.events = [...new Set(input.events)])));
  if (input.serviceId !== undefined) set.service_id = input.serviceId;
  if (input.enabled !== undefined) set.enabled = input.enabled;
  const fieldErrors = problems.filter((p): p is FieldError => p !== null);
  if (fieldErrors.length) throw validationError(fieldErrors);
  return ctx.db.transaction().execute(async (tx) => {
    if (!(await lockWebhook(tx, id))) throw notFound('webhook', id);
    if (set.service_id && !(await serviceExists(tx, set.service_id))) throw validationError([{ field: 'serviceId', reason: 'no such service' }]);
    await updateWebhookRow(tx, id, ctx.clock.now(), set);
    const { url, ...rest } = set;
    await writeAudit(tx, ctx, { action: 'webhook.update', entityType: 'webhook', entityId: id, data: { ...rest, ...(url ? { host: new URL(url).host } : {}) } });
    return (await findWebhook(tx, id))!;
  });
}
