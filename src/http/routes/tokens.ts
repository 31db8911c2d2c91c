import { Type } from 'typebox';
import { createApiToken, listApiTokens, revokeApiToken } from '../../core/users/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { ApiToken, errorResponses, IdParams, NoContent, Scope } from '../schemas.ts';

export function registerTokenRoutes(api: App, deps: AppDeps): void {
  api.get(
    '/tokens',
    { schema: { tags: ['tokens'], summary: 'Your live API tokens', response: { 200: Type.Object({ tokens: Type.Array(ApiToken) }), ...errorResponses(401) } } },
    async (request) => ({ tokens: await listApiTokens(ctxOf(deps, request)) }),
  );

  api.post(
    '/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token; the secret is in this response only',
        body: Type.Object(
          { name: Type.String({ maxLength: 200 }), scope: Scope, expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ token: ApiToken, secret: Type.String() }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.status(201).send(await createApiToken(ctxOf(deps, request), request.body)),
  );

  api.delete(
    '/tokens/:id',
    { schema: { tags: ['tokens'], summary: 'Revoke an API token', params: IdParams, response: { 204: NoContent, ...errorResponses(401, 404) } } },
    async (request, reply) => {
      await revokeApiToken(ctxOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
