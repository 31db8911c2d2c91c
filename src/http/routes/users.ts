import { Type } from 'typebox';
import { createUser, listUsers, setUserPassword } from '../../core/users/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { errorResponses, IdParams, NoContent, Role, User } from '../schemas.ts';

export function registerUserRoutes(api: App, deps: AppDeps): void {
  api.get(
    '/users',
    { schema: { tags: ['users'], summary: 'List users', response: { 200: Type.Object({ users: Type.Array(User) }), ...errorResponses(401, 403) } } },
    async (request) => ({ users: await listUsers(ctxOf(deps, request)) }),
  );

  api.post(
    '/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user (admin)',
        body: Type.Object(
          {
            email: Type.String({ maxLength: 254 }),
            name: Type.String({ maxLength: 200 }),
            role: Role,
            timeZone: Type.Optional(Type.String({ maxLength: 64 })),
            password: Type.Optional(Type.String({ maxLength: 256 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ user: User }), ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send({ user: await createUser(ctxOf(deps, request), request.body) }),
  );

  api.post(
    '/users/:id/password',
    {
      schema: {
        tags: ['users'],
        summary: "Set a user's password (admin); their sessions end",
        params: IdParams,
        body: Type.Object({ password: Type.String({ maxLength: 256 }) }, { additionalProperties: false }),
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await setUserPassword(ctxOf(deps, request), request.params.id, request.body.password);
      return reply.status(204).send(null);
    },
  );
}
