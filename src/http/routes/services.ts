import { Type } from 'typebox';
import {
  addIntegrationKey,
  createService,
  deleteService,
  getService,
  listServices,
  revokeIntegrationKey,
  rotateIntegrationKey,
  updateService,
} from '../../core/services/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { errorResponses, IdParams, IntegrationKey, NoContent, Nullable, Service, Uuid } from '../schemas.ts';

const ServiceFields = {
  name: Type.String({ maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  teamId: Type.Optional(Nullable(Uuid)),
  runbookUrl: Type.Optional(Nullable(Type.String({ maxLength: 2048 }))),
};
const KeyParams = Type.Object({ id: Uuid, keyId: Uuid });
const One = Type.Object({ service: Service });

export function registerServiceRoutes(api: App, deps: AppDeps): void {
  api.get(
    '/services',
    { schema: { tags: ['services'], summary: 'List services with their active integration keys', response: { 200: Type.Object({ services: Type.Array(Service) }), ...errorResponses(401, 403) } } },
    async (request) => ({ services: await listServices(ctxOf(deps, request)) }),
  );

  api.post(
    '/services',
    {
      schema: {
        tags: ['services'],
        summary: 'Create a service (it comes with one integration key)',
        body: Type.Object(ServiceFields, { additionalProperties: false }),
        response: { 201: One, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send({ service: await createService(ctxOf(deps, request), request.body) }),
  );

  api.get(
    '/services/:id',
    { schema: { tags: ['services'], summary: 'One service', params: IdParams, response: { 200: One, ...errorResponses(401, 403, 404) } } },
    async (request) => ({ service: await getService(ctxOf(deps, request), request.params.id) }),
  );

  api.patch(
    '/services/:id',
    {
      schema: {
        tags: ['services'],
        summary: 'Change a service',
        params: IdParams,
        body: Type.Object({ ...ServiceFields, name: Type.Optional(ServiceFields.name) }, { additionalProperties: false }),
        response: { 200: One, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ service: await updateService(ctxOf(deps, request), request.params.id, request.body) }),
  );

  api.delete(
    '/services/:id',
    { schema: { tags: ['services'], summary: 'Delete a service and its keys (admin)', params: IdParams, response: { 204: NoContent, ...errorResponses(401, 403, 404) } } },
    async (request, reply) => {
      await deleteService(ctxOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/services/:id/integration-keys',
    {
      schema: {
        tags: ['services'],
        summary: 'Add an integration key',
        params: IdParams,
        body: Type.Optional(Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false })),
        response: { 201: Type.Object({ integrationKey: IntegrationKey }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ integrationKey: await addIntegrationKey(ctxOf(deps, request), request.params.id, request.body ?? {}) }),
  );

  api.post(
    '/services/:id/integration-keys/:keyId/rotate',
    {
      schema: {
        tags: ['services'],
        summary: 'Replace a key: the new one works and the old one is refused from the same instant',
        params: KeyParams,
        response: { 201: Type.Object({ integrationKey: IntegrationKey }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.status(201).send({ integrationKey: await rotateIntegrationKey(ctxOf(deps, request), request.params.id, request.params.keyId) }),
  );

  api.delete(
    '/services/:id/integration-keys/:keyId',
    { schema: { tags: ['services'], summary: 'Revoke an integration key', params: KeyParams, response: { 204: NoContent, ...errorResponses(401, 403, 404) } } },
    async (request, reply) => {
      await revokeIntegrationKey(ctxOf(deps, request), request.params.id, request.params.keyId);
      return reply.status(204).send(null);
    },
  );
}
