import { Type } from 'typebox';
import {
  createWebhook,
  deleteWebhook,
  EVENT_TYPES,
  type EventType,
  getWebhook,
  listDeliveries,
  listWebhooks,
  MAX_DESCRIPTION_LENGTH,
  MAX_URL_LENGTH,
  redeliver,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
} from '../../core/webhooks/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { DateTime, errorResponses, IdParams, NoContent, Nullable, Uuid } from '../schemas.ts';

const strict = { additionalProperties: false } as const;
const EventType = Type.Unsafe<EventType>({ type: 'string', enum: [...EVENT_TYPES] });
const Body = {
  url: Type.String({ maxLength: MAX_URL_LENGTH, description: 'http or https, without a user name or password' }),
  description: Type.Optional(Type.String({ maxLength: MAX_DESCRIPTION_LENGTH })),
  serviceId: Type.Optional(Nullable(Uuid)),
  events: Type.Optional(Type.Array(EventType, { minItems: 1, maxItems: EVENT_TYPES.length * 2, description: 'Default: every event type' })),
  enabled: Type.Optional(Type.Boolean({ description: 'Default: true' })),
};
const Webhook = Type.Object({
  id: Uuid,
  url: Type.String(),
  description: Type.String(),
  serviceId: Nullable(Uuid),
  serviceName: Nullable(Type.String()),
  events: Type.Array(EventType),
  enabled: Type.Boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const WithSecret = Type.Object({
  webhook: Webhook,
  secret: Type.String({ description: 'The signing secret: shown only in this response; store it in the receiver' }),
});
const Delivery = Type.Object({
  id: Uuid,
  webhookId: Uuid,
  eventId: Uuid,
  eventType: Type.String(),
  incidentId: Nullable(Uuid),
  occurredAt: DateTime,
  redeliveryOf: Nullable(Uuid),
  status: Type.Union([Type.Literal('queued'), Type.Literal('sending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  responseExcerpt: Nullable(Type.String({ description: 'The first 500 characters of the last response body' })),
  durationMs: Nullable(Type.Integer()),
  nextAttemptAt: Nullable(DateTime),
  lastAttemptAt: Nullable(DateTime),
  deliveredAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const DeliveryParams = Type.Object({ id: Uuid, deliveryId: Uuid });
const tags = ['webhooks'];

/** Outgoing webhook subscriptions and their delivery log: admins only (URLs can carry tokens). */
export function registerWebhookRoutes(api: App, deps: AppDeps): void {
  api.get(
    '/webhooks',
    { schema: { tags, summary: 'List webhook subscriptions (never their secrets)', response: { 200: Type.Object({ webhooks: Type.Array(Webhook) }), ...errorResponses(401, 403) } } },
    async (request) => ({ webhooks: await listWebhooks(ctxOf(deps, request)) }),
  );
  api.post(
    '/webhooks',
    {
      schema: {
        tags,
        summary: 'Subscribe a URL to incident events, for one service or (serviceId null or absent) every service; answers the signing secret once',
        body: Type.Object(Body, strict),
        response: { 201: WithSecret, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await createWebhook(ctxOf(deps, request), request.body)),
  );
  api.get(
    '/webhooks/:id',
    { schema: { tags, summary: 'One webhook subscription', params: IdParams, response: { 200: Type.Object({ webhook: Webhook }), ...errorResponses(400, 401, 403, 404) } } },
    async (request) => ({ webhook: await getWebhook(ctxOf(deps, request), request.params.id) }),
  );
  api.patch(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Change a subscription (enabled: false pauses it; its queued deliveries then fail unsent)',
        params: IdParams,
        body: Type.Object({ ...Body, url: Type.Optional(Body.url) }, strict),
        response: { 200: Type.Object({ webhook: Webhook }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ webhook: await updateWebhook(ctxOf(deps, request), request.params.id, request.body) }),
  );
  api.delete(
    '/webhooks/:id',
    { schema: { tags, summary: 'Delete a subscription and its delivery log', params: IdParams, response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) } } },
    async (request, reply) => {
      await deleteWebhook(ctxOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  api.post(
    '/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        summary: 'A new signing secret, answered once; the old one keeps signing (a second v1) for 24 hours',
        params: IdParams,
        response: { 200: WithSecret, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => rotateWebhookSecret(ctxOf(deps, request), request.params.id),
  );
  api.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: "A subscription's delivery log, newest first (keyset-paged: pass nextCursor back as cursor)",
        params: IdParams,
        querystring: Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 40 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, strict),
        response: { 200: Type.Object({ deliveries: Type.Array(Delivery), nextCursor: Nullable(Type.String()) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listDeliveries(ctxOf(deps, request), request.params.id, request.query),
  );
  api.post(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      schema: {
        tags,
        summary: "Send a delivery's event again, as a new delivery with the same event id",
        params: DeliveryParams,
        response: { 202: Type.Object({ delivery: Delivery }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(202).send({ delivery: await redeliver(ctxOf(deps, request), request.params.id, request.params.deliveryId) }),
  );
  api.post(
    '/webhooks/:id/test',
    {
      schema: { tags, summary: 'Queue a vigil.ping to this subscription (enabled or not)', params: IdParams, response: { 202: Type.Object({ delivery: Delivery }), ...errorResponses(400, 401, 403, 404) } },
    },
    async (request, reply) => reply.status(202).send({ delivery: await testWebhook(ctxOf(deps, request), request.params.id) }),
  );
}
