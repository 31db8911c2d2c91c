import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { DomainError, type FieldError, validationError } from '../shared/errors.ts';
import { countWebhooks, findWebhook, insertWebhook, serviceExists } from './store.ts';
import { checkDescription, checkEvents, checkUrl, EVENT_TYPES, MAX_SUBSCRIPTIONS, newSecret, type Webhook } from './webhook.ts';

export interface CreateWebhookInput {
  url: string;
  description?: string | undefined;
  /** null or absent: every service. */
  serviceId?: string | null | undefined;
  /** Absent: every event type. */
  events?: string[] | undefined;
  enabled?: boolean | undefined;
}

/** Admins subscribe a URL; the signing secret is generated here and returned this once. */
export async function createWebhook(ctx: Ctx, input: CreateWebhookInput): Promise<{ webhook: Webhook; secret: string }> {
  authorize(ctx.actor, 'admin');
  const url = input.url.trim();
  const description = (input.description ?? '').trim();
  const events = input.events ? [...new Set(input.events)] : [...EVENT_TYPES];
  const problems = [checkUrl(url), checkDescription(description), checkEvents(events)].filter((p): p is FieldError => p !== null);
  if (problems.length) throw validationError(problems);
  const secret = newSecret();
  return ctx.db.transaction().execute(async (tx) => {
    if (input.serviceId && !(await serviceExists(tx, input.serviceId))) throw validationError([{ field: 'serviceId', reason: 'no such service' }]);
    if ((await countWebhooks(tx)) >= MAX_SUBSCRIPTIONS) throw new DomainError('LIMIT_EXCEEDED', `At most ${MAX_SUBSCRIPTIONS} webhooks can be subscribed.`, { limit: MAX_SUBSCRIPTIONS });
    const id = await insertWebhook(tx, ctx.clock.now(), { url, description, serviceId: input.serviceId ?? null, events, enabled: input.enabled ?? true, secret });
    // The audit row names the URL's host only: a path can carry a receiver's token.
    await writeAudit(tx, ctx, { action: 'webhook.create', entityType: 'webhook', entityId: id, data: { host: new URL(url).host, serviceId: input.serviceId ?? null, events } });
    return { webhook: (await findWebhook(tx, id))!, secret };
  });
}
