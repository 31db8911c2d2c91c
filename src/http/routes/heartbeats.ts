import { Type } from 'typebox';
import {
  createHeartbeat,
  deleteHeartbeat,
  type Heartbeat as HeartbeatValue,
  INTERVAL_MAX_SECONDS,
  INTERVAL_MIN_SECONDS,
  listHeartbeats,
  pingHeartbeat,
  updateHeartbeat,
} from '../../core/heartbeats/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { DateTime, errorResponses, IdParams, NoContent, Nullable, Uuid } from '../schemas.ts';

const Heartbeat = Type.Object({
  id: Uuid,
  serviceId: Uuid,
  serviceName: Type.String(),
  name: Type.String(),
  key: Nullable(Type.String({ description: '32 characters; null for observers' })),
  keyPreview: Type.String(),
  pingUrl: Nullable(Type.String({ description: 'GET or POST it to ping; null for observers' })),
  intervalSeconds: Type.Integer(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('up'), Type.Literal('down')]),
  lastPingAt: Nullable(DateTime),
  nextDueAt: DateTime,
  createdAt: DateTime,
  updatedAt: DateTime,
});
const One = Type.Object({ heartbeat: Heartbeat });
const Fields = {
  name: Type.String({ maxLength: 200 }),
  intervalSeconds: Type.Integer({ minimum: INTERVAL_MIN_SECONDS, maximum: INTERVAL_MAX_SECONDS, description: 'Seconds between pings: 30 to 604800 (7 days)' }),
};
const PingParams = Type.Object({ key: Type.String() });
const Pinged = Type.Object({ status: Type.Literal('ok'), nextDueAt: DateTime });

/** Heartbeat monitors (CRUD) and the public ping endpoint. */
export function registerHeartbeatRoutes(api: App, deps: AppDeps): void {
  // Core does not know where Vigil is reachable; the ping URL is added here.
  const withUrl = (h: HeartbeatValue) => ({ ...h, pingUrl: h.key === null ? null : `${deps.config.publicUrl}/api/v1/heartbeats/${h.key}` });

  api.get(
    '/heartbeats',
    {
      schema: {
        tags: ['heartbeats'],
        summary: 'List heartbeat monitors (of one service with ?serviceId=)',
        querystring: Type.Object({ serviceId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: Type.Object({ heartbeats: Type.Array(Heartbeat) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ heartbeats: (await listHeartbeats(ctxOf(deps, request), { serviceId: request.query.serviceId })).map(withUrl) }),
  );

  api.post(
    '/heartbeats',
    {
      schema: {
        tags: ['heartbeats'],
        summary: 'Create a heartbeat monitor: an alert opens when its ping URL is not requested within the interval',
        body: Type.Object({ serviceId: Uuid, ...Fields }, { additionalProperties: false }),
        response: { 201: One, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send({ heartbeat: withUrl(await createHeartbeat(ctxOf(deps, request), request.body)) }),
  );

  api.patch(
    '/heartbeats/:id',
    {
      schema: {
        tags: ['heartbeats'],
        summary: 'Rename a heartbeat or change its interval',
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Fields.name), intervalSeconds: Type.Optional(Fields.intervalSeconds) }, { additionalProperties: false }),
        response: { 200: One, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ heartbeat: withUrl(await updateHeartbeat(ctxOf(deps, request), request.params.id, request.body)) }),
  );

  api.delete(
    '/heartbeats/:id',
    {
      schema: {
        tags: ['heartbeats'],
        summary: 'Delete a heartbeat (its open alert, if any, is resolved)',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteHeartbeat(ctxOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  // The ping: public (the key in the path is the credential), rate-limited like every route, and
  // answered only after the transaction commits. Cron jobs and uptime tools send all sorts of
  // bodies (or none, or a form-encoded empty one from `curl -d ''`): here any body is accepted and
  // ignored instead of refused with 415.
  void api.register(async (ping) => {
    ping.removeAllContentTypeParsers();
    ping.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => done(null, undefined));
    const options = {
      config: { auth: false },
      schema: {
        tags: ['heartbeats'],
        summary: 'Ping a heartbeat (public: the key is the credential); GET, HEAD and POST all count',
        security: [],
        params: PingParams,
        response: { 202: Pinged, ...errorResponses(404, 429) },
      },
    };
    for (const method of ['GET', 'POST'] as const) {
      ping.route({
        method,
        url: '/heartbeats/:key',
        ...options,
        handler: async (request, reply) => {
          const { nextDueAt } = await pingHeartbeat({ db: deps.database.db, clock: deps.clock }, (request.params as { key: string }).key, { requestId: request.id });
          return reply.status(202).header('cache-control', 'no-store').send({ status: 'ok', nextDueAt });
        },
      });
    }
  });
}
