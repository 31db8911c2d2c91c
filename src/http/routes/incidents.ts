import { Type } from 'typebox';
import { listNotifications } from '../../core/escalation/index.ts';
import { getIncident, listIncidents } from '../../core/incidents/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { Alert, AlertStatus, ChangeEvent, DeliveryLog, errorResponses, Incident, Nullable, Uuid } from '../schemas.ts';

export function registerIncidentRoutes(api: App, deps: AppDeps): void {
  api.get(
    '/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'List incidents, newest first (paged by number: pass nextCursor back as before)',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Array(AlertStatus, { maxItems: 3 })),
            serviceId: Type.Optional(Uuid),
            before: Type.Optional(Type.Integer({ minimum: 1 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ incidents: Type.Array(Incident), nextCursor: Nullable(Type.Integer()) }), ...errorResponses(400, 401, 403) },
      },
      preValidation: async (request) => {
        const q = request.query as Record<string, unknown>;
        if (typeof q.status === 'string') q.status = q.status.split(',').filter(Boolean);
      },
    },
    async (request) => listIncidents(ctxOf(deps, request), request.query),
  );

  api.get(
    '/incidents/:ref',
    {
      schema: {
        tags: ['incidents'],
        summary: "One incident (by id or number) with its alerts and its service's recent changes",
        params: Type.Object({ ref: Type.String({ maxLength: 64 }) }),
        response: { 200: Type.Object({ incident: Incident, alerts: Type.Array(Alert), recentChanges: Type.Array(ChangeEvent) }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => getIncident(ctxOf(deps, request), request.params.ref),
  );

  api.get(
    '/incidents/:ref/notifications',
    {
      schema: {
        tags: ['incidents'],
        summary: "An incident's escalation (policy snapshot, level, pass, why it stopped) and every page: who, which method (never its address), status, attempts, last error",
        params: Type.Object({ ref: Type.String({ maxLength: 64 }) }),
        response: { 200: DeliveryLog, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => listNotifications(ctxOf(deps, request), request.params.ref),
  );
}
