import { type Command, InvalidArgumentError } from 'commander';
import { act, type CliIo, httpCommand, listOf, positiveInteger, resolveServiceId } from './command.ts';
import { clean, formatTable, formatTime, UUID } from './format.ts';

/**
 * `vigil webhook list|add|delete|deliveries|test|redeliver|rotate-secret`: outgoing webhook
 * subscriptions (docs/webhooks.md). Admins only, as in the API.
 */

const EVENTS = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.escalated',
  'incident.reassigned',
  'incident.resolved',
  'incident.note_added',
  'incident.status_update_published',
] as const;

interface Webhook {
  id: string;
  url: string;
  description: string;
  serviceId: string | null;
  serviceName: string | null;
  events: string[];
  enabled: boolean;
}
interface Delivery {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  durationMs: number | null;
  createdAt: string;
  nextAttemptAt: string | null;
}

const uuid = (what: string) => (value: string): string => {
  if (!UUID.test(value.trim())) throw new InvalidArgumentError(`Expected a ${what} id (a UUID: vigil webhook list shows them).`);
  return value.trim();
};
const eventsText = (events: string[]) => (events.length === EVENTS.length ? 'all' : events.map((e) => e.replace(/^incident\./, '')).join(','));

export function registerWebhookCommands(io: CliIo, program: Command): void {
  const webhook = program.command('webhook').description('outgoing webhooks: signed incident events POSTed to a URL (admins)');

  act(io, httpCommand(webhook, 'list', 'every subscription: id, enabled, service, events, URL'), async (ctx) => {
    const result = await ctx.api().request<{ webhooks: Webhook[] }>('GET', '/webhooks');
    if (ctx.json) return ctx.printJson(result);
    if (!result.webhooks.length) return ctx.out('No webhooks. Add one with: vigil webhook add <url>\n');
    ctx.out(
      formatTable(
        ['ID', 'ENABLED', 'SERVICE', 'EVENTS', 'URL'],
        result.webhooks.map((w) => [w.id, w.enabled ? 'yes' : 'no', w.serviceName ?? 'every service', eventsText(w.events), w.url]),
        ctx.bold,
        { maxWidth: ctx.width },
      ),
    );
  });

  act(
    io,
    httpCommand(webhook, 'add', 'subscribe a URL; prints the signing secret (shown only now) on stdout')
      .argument('<url>', 'the receiver: http or https')
      .option('--service <service>', 'only this service (name or id); default: every service')
      .option('--events <events>', `comma-separated, default all: ${EVENTS.join(', ')}`, listOf(EVENTS))
      .option('--description <text>', 'what receives it')
      .option('--disabled', 'create it paused'),
    async (ctx, url) => {
      const o = ctx.opts as { service?: string; events?: string[]; description?: string; disabled?: boolean };
      const api = ctx.api();
      const body = {
        url,
        ...(o.service !== undefined ? { serviceId: await resolveServiceId(api, o.service) } : {}),
        ...(o.events ? { events: o.events } : {}),
        ...(o.description !== undefined ? { description: o.description } : {}),
        ...(o.disabled ? { enabled: false } : {}),
      };
      const result = await api.request<{ webhook: Webhook; secret: string }>('POST', '/webhooks', body);
      if (ctx.json) return ctx.printJson(result);
      const w = result.webhook;
      ctx.out(`${result.secret}\n`);
      ctx.io.stderr(`vigil: created webhook ${w.id} (${clean(w.serviceName ?? 'every service')}, events ${eventsText(w.events)}): store the signing secret now, it is shown only this once\n`);
    },
  );

  act(
    io,
    httpCommand(webhook, 'delete', 'delete a subscription and its delivery log', { json: false }).argument('<id>', 'webhook id', uuid('webhook')),
    async (ctx, id) => {
      await ctx.api().request('DELETE', `/webhooks/${id}`);
      ctx.out(`Deleted webhook ${id}.\n`);
    },
  );

  act(
    io,
    httpCommand(webhook, 'deliveries', 'the delivery log, newest first')
      .argument('<id>', 'webhook id', uuid('webhook'))
      .option('--limit <n>', 'at most n (default 50, at most 200)', positiveInteger),
    async (ctx, id) => {
      const limit = ctx.opts.limit as number | undefined;
      const result = await ctx.api().request<{ deliveries: Delivery[]; nextCursor: string | null }>('GET', `/webhooks/${id}/deliveries${limit ? `?limit=${Math.min(limit, 200)}` : ''}`);
      if (ctx.json) return ctx.printJson(result);
      if (!result.deliveries.length) return ctx.out('No deliveries yet.\n');
      ctx.out(
        formatTable(
          ['ID', 'CREATED', 'EVENT', 'STATUS', 'ATTEMPTS', 'CODE', 'MS', 'LAST ERROR / NEXT ATTEMPT'],
          result.deliveries.map((d) => [
            d.id,
            formatTime(d.createdAt, '-', 'second'),
            d.eventType,
            d.status,
            String(d.attempts),
            d.lastStatusCode === null ? '-' : String(d.lastStatusCode),
            d.durationMs === null ? '-' : String(d.durationMs),
            [d.lastError, d.nextAttemptAt ? `next ${formatTime(d.nextAttemptAt, '-', 'second')}` : null].filter(Boolean).join('; ') || '-',
          ]),
          ctx.bold,
          { maxWidth: ctx.width },
        ),
      );
      if (result.nextCursor) ctx.io.stderr(`vigil: note: older deliveries exist (--limit to see more)\n`);
    },
  );

  act(io, httpCommand(webhook, 'test', 'queue a vigil.ping to it; see the result with `webhook deliveries`').argument('<id>', 'webhook id', uuid('webhook')), async (ctx, id) => {
    const result = await ctx.api().request<{ delivery: Delivery }>('POST', `/webhooks/${id}/test`);
    if (ctx.json) return ctx.printJson(result);
    ctx.out(`Queued a vigil.ping (delivery ${result.delivery.id}). See it with: vigil webhook deliveries ${id}\n`);
  });

  act(
    io,
    httpCommand(webhook, 'redeliver', 'send a delivery again (same event id, a new delivery)')
      .argument('<id>', 'webhook id', uuid('webhook'))
      .argument('<deliveryId>', 'delivery id (vigil webhook deliveries)', uuid('delivery')),
    async (ctx, id, deliveryId) => {
      const result = await ctx.api().request<{ delivery: Delivery }>('POST', `/webhooks/${id}/deliveries/${deliveryId}/redeliver`);
      if (ctx.json) return ctx.printJson(result);
      ctx.out(`Queued redelivery ${result.delivery.id} of ${deliveryId}.\n`);
    },
  );

  act(io, httpCommand(webhook, 'rotate-secret', 'a new signing secret on stdout (the old one also signs for 24 hours)').argument('<id>', 'webhook id', uuid('webhook')), async (ctx, id) => {
    const result = await ctx.api().request<{ webhook: Webhook; secret: string }>('POST', `/webhooks/${id}/rotate-secret`);
    if (ctx.json) return ctx.printJson(result);
    ctx.out(`${result.secret}\n`);
    ctx.io.stderr(`vigil: rotated the secret of webhook ${id}: store it now, it is shown only this once; the old one keeps signing for 24 hours\n`);
  });
}
