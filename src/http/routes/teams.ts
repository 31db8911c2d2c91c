import { Type } from 'typebox';
import { createTeam, listTeams } from '../../core/teams/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { errorResponses, Team } from '../schemas.ts';

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
}
