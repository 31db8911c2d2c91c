import { Type } from 'typebox';
import { escalateIncident, listNotifications } from '../../core/escalation/index.ts';
import { acknowledgeIncident, getIncident, listIncidents, MAX_REASSIGN_USERS, reassignIncident, resolveIncident } from '../../core/incidents/index.ts';
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

  for (const [verb, run] of [['acknowledge', acknowledgeIncident], ['resolve', resolveIncident]] as const) {
    api.post(
      `/incidents/:ref/${verb}`,
      {
        schema: {
          tags: ['incidents'],
          summary:
            verb === 'acknowledge'
              ? 'Acknowledge an incident: every triggered alert of it is acknowledged, its escalation stops (412 when resolved)'
              : 'Resolve an incident: every open alert of it is resolved, its escalation stops',
          params: Type.Object({ ref: Type.String({ maxLength: 64 }) }),
          response: { 200: Type.Object({ incident: Incident, changed: Type.Array(Alert, { description: 'The alerts this request changed' }) }), ...errorResponses(401, 403, 404, 412) },
        },
      },
      async (request) => run(ctxOf(deps, request), request.params.ref),
    );
  }

  api.post(
    '/incidents/:ref/escalate',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Escalate a triggered incident now: the next step, or level K of its policy snapshot (a level this pass already reached pages again in a new pass)',
        params: Type.Object({ ref: Type.String({ maxLength: 64 }) }),
        body: Type.Object({ level: Type.Optional(Type.Integer({ minimum: 0, description: '0-based level of the snapshot; omit to escalate now' })) }, { additionalProperties: false, description: 'Optional: no body escalates now' }),
        response: {
          200: Type.Object({
            ...DeliveryLog.properties,
            fired: Nullable(Type.Object({ level: Type.Integer(), pass: Type.Integer(), userIds: Type.Array(Uuid) })),
            skipped: Type.Array(Type.Object({ level: Type.Integer(), pass: Type.Integer(), reason: Type.String() })),
          }),
          ...errorResponses(400, 401, 403, 404, 412),
        },
      },
      // No body at all is "escalate now".
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) => escalateIncident(ctxOf(deps, request), request.params.ref, { level: request.body.level }),
  );

  api.post(
    '/incidents/:ref/reassign',
    {
      schema: {
        tags: ['incidents'],
        summary:
          'Hand an open incident to people or another policy: its escalation starts again on them from the first level, earlier queued pages are cancelled, an acknowledged incident is triggered again (412 when resolved)',
        params: Type.Object({ ref: Type.String({ maxLength: 64 }) }),
        body: Type.Object(
          {
            userIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: MAX_REASSIGN_USERS, description: 'Page these people (one level, re-paged twice 5 minutes apart until acknowledged)' })),
            policyId: Type.Optional(Uuid),
          },
          { additionalProperties: false, description: 'Exactly one of userIds and policyId' },
        ),
        response: { 200: DeliveryLog, ...errorResponses(400, 401, 403, 404, 412) },
      },
    },
    async (request) => reassignIncident(ctxOf(deps, request), request.params.ref, request.body),
  );
}
