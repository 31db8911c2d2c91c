import { Type } from 'typebox';
import { addTeamMember, createTeam, getTeam, listTeams, removeTeamMember } from '../../core/teams/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { errorResponses, IdParams, NoContent, Role, Team, Uuid } from '../schemas.ts';

const Member = Type.Object({ id: Uuid, name: Type.String(), email: Type.String(), role: Role });

export function registerTeamRoutes(api: App, deps: AppDeps): void {
  api.get(
    '/teams',
    { schema: { tags: ['teams'], summary: 'List teams', response: { 200: Type.Object({ teams: Type.Array(Team) }), ...errorResponses(401, 403) } } },
    async (request) => ({ teams: await listTeams(ctxOf(deps, request)) }),
  );

  api.post(
    '/teams',
    {
      schema: {
        tags: ['teams'],
        summary: 'Create a team (admin)',
        body: Type.Object({ name: Type.String({ maxLength: 200 }), description: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ team: Team }), ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send({ team: await createTeam(ctxOf(deps, request), request.body) }),
  );

  api.get(
    '/teams/:id',
    { schema: { tags: ['teams'], summary: 'A team and its members', params: IdParams, response: { 200: Type.Object({ team: Team, members: Type.Array(Member) }), ...errorResponses(401, 403, 404) } } },
    async (request) => getTeam(ctxOf(deps, request), request.params.id),
  );

  api.post(
    '/teams/:id/members',
    {
      schema: {
        tags: ['teams'],
        summary: 'Add a user to a team (admin; adding a member twice is not an error)',
        params: IdParams,
        body: Type.Object({ userId: Uuid }, { additionalProperties: false }),
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await addTeamMember(ctxOf(deps, request), request.params.id, request.body.userId);
      return reply.status(204).send(null);
    },
  );

  api.delete(
    '/teams/:id/members/:userId',
    {
      schema: {
        tags: ['teams'],
        summary: 'Remove a user from a team (admin)',
        params: Type.Object({ id: Uuid, userId: Uuid }),
        response: { 204: NoContent, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeTeamMember(ctxOf(deps, request), request.params.id, request.params.userId);
      return reply.status(204).send(null);
    },
  );
}
