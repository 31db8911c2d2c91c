import { Type } from 'typebox';
import { getHandoff } from '../../core/handoffs/index.ts';
import { actorUserId } from '../../core/shared/context.ts';
import { forbidden } from '../../core/shared/errors.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { errorResponses, Incident, Nullable, Uuid } from '../schemas.ts';
import { MaintenanceWindow } from './noise.ts';

const Shift = Type.Object({
  schedule: Type.Object({ id: Uuid, name: Type.String(), timeZone: Type.String() }),
  start: Type.String(),
  end: Type.String(),
});

const Handoff = Type.Object({
  user: Type.Object({ id: Uuid, name: Type.String() }),
  at: Type.String(),
  currentShift: Nullable(Shift),
  nextShift: Nullable(Shift),
  previousShift: Nullable(Shift),
  openIncidents: Type.Array(Incident, { description: 'Triggered or acknowledged, of every service: services are not linked to schedules yet' }),
  incidentsDuringPreviousShift: Type.Array(Incident),
  maintenanceWindows: Type.Array(MaintenanceWindow, { description: 'Active now or upcoming' }),
});

/** The on-call handoff report. */
export function registerHandoffRoutes(api: App, deps: AppDeps): void {
  api.get(
    '/users/:id/handoff',
    {
      schema: {
        tags: ['schedules'],
        summary: "A user's handoff report (yourself, or anyone for an admin): current, next and previous shift, open incidents, incidents of the previous shift, maintenance windows",
        params: Type.Object({ id: Type.Union([Uuid, Type.Literal('me')], { description: 'A user id, or "me"' }) }),
        response: { 200: Handoff, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const ctx = ctxOf(deps, request);
      const me = actorUserId(ctx.actor);
      if (request.params.id === 'me' && !me) throw forbidden('Only a person has a handoff report.');
      return getHandoff(ctx, request.params.id === 'me' ? me! : request.params.id);
    },
  );
}
