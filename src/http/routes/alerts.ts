import { Type } from 'typebox';
import { acknowledgeAlerts, getAlert, listAlerts, listChangeEvents, MAX_BULK, resolveAlerts } from '../../core/alerts/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { Alert, AlertEvent, AlertStatus, ChangeEvent, errorResponses, Nullable, Severity, Uuid } from '../schemas.ts';

const AlertRef = Type.Object({ ref: Type.String({ maxLength: 64, description: 'The alert id, or its number' }) });
const Bulk = Type.Object({ ids: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: MAX_BULK, description: 'Alert ids or numbers' }) }, { additionalProperties: false });
const Changed = Type.Object({ changed: Type.Array(Alert), unchanged: Type.Array(Alert, { description: 'Already in that state (or resolved): left as they were' }) });
const TimeQ = Type.String({ format: 'date-time' });

export function registerAlertRoutes(api: App, deps: AppDeps): void {
  api.get(
    '/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'List alerts, newest first (keyset-paged: pass nextCursor back as cursor)',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Array(AlertStatus, { maxItems: 3, description: 'Repeat or comma-separate: status=triggered,acknowledged' })),
            severity: Type.Optional(Type.Array(Severity, { maxItems: 4 })),
            serviceId: Type.Optional(Uuid),
            incidentId: Type.Optional(Uuid),
            suppressed: Type.Optional(Type.Boolean()),
            since: Type.Optional(TimeQ),
            until: Type.Optional(TimeQ),
            cursor: Type.Optional(Type.String({ maxLength: 200 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ alerts: Type.Array(Alert), nextCursor: Nullable(Type.String()) }), ...errorResponses(400, 401, 403) },
      },
      // A comma-separated list is one string to the query parser; split it before validation.
      preValidation: async (request) => {
        const q = request.query as Record<string, unknown>;
        for (const k of ['status', 'severity']) if (typeof q[k] === 'string') q[k] = (q[k] as string).split(',').filter(Boolean);
      },
    },
    async (request) => {
      const q = request.query;
      return listAlerts(ctxOf(deps, request), {
        ...q,
        since: q.since ? new Date(q.since) : undefined,
        until: q.until ? new Date(q.until) : undefined,
      });
    },
  );

  api.get(
    '/alerts/:ref',
    {
      schema: {
        tags: ['alerts'],
        summary: 'One alert (by id or number) with its event log: every event received and the decision taken',
        params: AlertRef,
        response: { 200: Type.Object({ alert: Alert, events: Type.Array(AlertEvent), eventCount: Type.Integer() }), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => getAlert(ctxOf(deps, request), request.params.ref),
  );

  for (const [verb, run] of [['acknowledge', acknowledgeAlerts], ['resolve', resolveAlerts]] as const) {
    api.post(
      `/alerts/:ref/${verb}`,
      { schema: { tags: ['alerts'], summary: `${verb === 'acknowledge' ? 'Acknowledge' : 'Resolve'} one alert`, params: AlertRef, response: { 200: Changed, ...errorResponses(401, 403, 404) } } },
      async (request) => run(ctxOf(deps, request), [request.params.ref]),
    );
    api.post(
      `/alerts/${verb}`,
      { schema: { tags: ['alerts'], summary: `${verb === 'acknowledge' ? 'Acknowledge' : 'Resolve'} up to ${MAX_BULK} alerts at once`, body: Bulk, response: { 200: Changed, ...errorResponses(400, 401, 403, 404) } } },
      async (request) => run(ctxOf(deps, request), request.body.ids),
    );
  }

  api.get(
    '/change-events',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Change events (deploys, config changes), newest first',
        querystring: Type.Object(
          { serviceId: Type.Optional(Uuid), since: Type.Optional(TimeQ), until: Type.Optional(TimeQ), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ changeEvents: Type.Array(ChangeEvent) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return {
        changeEvents: await listChangeEvents(ctxOf(deps, request), { ...q, since: q.since ? new Date(q.since) : undefined, until: q.until ? new Date(q.until) : undefined }),
      };
    },
  );
}
