import { Type } from 'typebox';
import { MATCH_OPS, SEVERITIES } from '../../core/alerts/index.ts';
import {
  createEventRule,
  createMaintenanceWindow,
  createSilence,
  deleteEventRule,
  deleteMaintenanceWindow,
  expireSilence,
  getAlertSettings,
  getEventRule,
  getMaintenanceWindow,
  getSilence,
  listEventRules,
  listMaintenanceWindows,
  listSilences,
  MAX_TEXT,
  updateAlertSettings,
  updateEventRule,
  updateMaintenanceWindow,
  updateSilence,
} from '../../core/noise/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { DateTime, errorResponses, IdParams, NoContent, Nullable, Uuid } from '../schemas.ts';

// ---- schemas ----

/** A date-time sent by a client: RFC 3339 with an offset ("2026-03-02T09:00:00Z"). */
const When = Type.String({ format: 'date-time', maxLength: 64 });
const when = (s: string): Date => new Date(s);
const maybeWhen = (s: string | undefined): Date | undefined => (s === undefined ? undefined : new Date(s));

const Text = (description: string) => Type.String({ maxLength: MAX_TEXT, description });
const Limit = Type.Integer({ minimum: 1, maximum: 500, description: 'At most this many (default 100)' });
const UrgencyValue = Type.Enum(['high', 'low']);

const MatcherIn = Type.Object(
  {
    name: Type.String({ maxLength: 100, description: 'A label or field name: alertname, severity, service, source, …' }),
    op: Type.Enum(MATCH_OPS, { description: '= and != compare strings; =~ and !~ match a regular expression anchored at both ends' }),
    value: Type.String({ maxLength: 1024, description: 'A missing label reads as ""' }),
  },
  { additionalProperties: false },
);
const Matchers = Type.Array(MatcherIn, { maxItems: 50, description: 'All must match (at most 20)' });
const MatcherOut = Type.Object({ name: Type.String(), op: Type.String(), value: Type.String() });

export const MaintenanceWindow = Type.Object({
  id: Uuid,
  serviceId: Uuid,
  serviceName: Type.String(),
  description: Type.String(),
  startsAt: DateTime,
  endsAt: DateTime,
  state: Type.Enum(['upcoming', 'active', 'past'], { description: 'At the server clock when answering' }),
  createdBy: Type.String(),
  createdAt: DateTime,
});

const Silence = Type.Object({
  id: Uuid,
  serviceId: Nullable(Uuid),
  serviceName: Nullable(Type.String()),
  matchers: Type.Array(MatcherOut),
  comment: Type.String(),
  startsAt: DateTime,
  endsAt: DateTime,
  state: Type.Enum(['pending', 'active', 'expired'], { description: 'At the server clock when answering' }),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const ActionsIn = Type.Object(
  {
    routeToServiceId: Type.Optional(Type.Unsafe<string>({ ...Uuid, description: 'Global rules only: continue as if sent to this service' })),
    severity: Type.Optional(Type.Enum(SEVERITIES)),
    suppress: Type.Optional(Type.Boolean({ description: 'Record the alert; page nobody' })),
    drop: Type.Optional(Type.Boolean({ description: 'Log the event only; no alert' })),
  },
  { additionalProperties: false },
);
const ActionsOut = Type.Object({
  routeToServiceId: Type.Optional(Uuid),
  severity: Type.Optional(Type.String()),
  suppress: Type.Optional(Type.Boolean()),
  drop: Type.Optional(Type.Boolean()),
});
const Position = Type.Integer({ minimum: 1, maximum: 1000, description: '1-based place among the rules of its scope; 1 runs first' });

const EventRule = Type.Object({
  id: Uuid,
  serviceId: Nullable(Uuid),
  serviceName: Nullable(Type.String()),
  name: Type.String(),
  position: Type.Integer(),
  matchers: Type.Array(MatcherOut),
  actions: ActionsOut,
  enabled: Type.Boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const SupportHours = Type.Object(
  {
    timeZone: Type.String({ maxLength: 64, description: 'IANA zone, e.g. America/New_York' }),
    days: Type.Array(Type.Integer(), { maxItems: 7, description: 'ISO weekdays: 1 = Monday … 7 = Sunday' }),
    start: Type.String({ maxLength: 5, description: 'HH:MM, local' }),
    end: Type.String({ maxLength: 5, description: 'HH:MM, local, exclusive' }),
    outsideHours: UrgencyValue,
  },
  { additionalProperties: false },
);
const BySeverity = Type.Object(
  Object.fromEntries(SEVERITIES.map((s) => [s, Type.Optional(UrgencyValue)])) as Record<(typeof SEVERITIES)[number], Type.TOptional<typeof UrgencyValue>>,
  { additionalProperties: false },
);
const UrgencyRule = Type.Object({ bySeverity: Type.Optional(BySeverity), supportHours: Type.Optional(SupportHours) }, { additionalProperties: false });
const Grouping = Type.Object(
  {
    mode: Type.Enum(['none', 'time', 'content']),
    windowMinutes: Type.Optional(Type.Integer({ description: 'time and content: join an incident opened this recently (0: any open one)' })),
    fields: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 10, description: 'content: the fields whose values must be equal' })),
  },
  { additionalProperties: false },
);
const AlertSettings = Type.Object({
  serviceId: Uuid,
  grouping: Type.Object({ mode: Type.String(), windowMinutes: Type.Optional(Type.Integer()), fields: Type.Optional(Type.Array(Type.String())) }),
  urgencyRule: Nullable(UrgencyRule),
  effectiveUrgency: Type.Object({
    bySeverity: Type.Object(Object.fromEntries(SEVERITIES.map((s) => [s, Type.String()])) as Record<(typeof SEVERITIES)[number], ReturnType<typeof Type.String>>),
    supportHours: Nullable(SupportHours),
  }),
});

const OneWindow = Type.Object({ maintenanceWindow: MaintenanceWindow });
const OneSilence = Type.Object({ silence: Silence });
const OneRule = Type.Object({ eventRule: EventRule });
const SilenceEdited = Type.Object({
  silence: Silence,
  replaced: Nullable(
    Type.Object(
      { id: Uuid, reason: Type.String() },
      { description: 'Set when the edit created this new silence and expired the one named (Alertmanager: a change to what a silence matches, or to an expired silence, keeps the old one as history)' },
    ),
  ),
});

export function registerNoiseRoutes(api: App, deps: AppDeps): void {
  // ---- maintenance windows ----
  api.get(
    '/maintenance-windows',
    {
      schema: {
        tags: ['noise'],
        summary: 'Maintenance windows: active and upcoming soonest first, then past ones latest first',
        querystring: Type.Object(
          { serviceId: Type.Optional(Uuid), state: Type.Optional(Type.Enum(['active', 'upcoming', 'past'])), limit: Type.Optional(Limit) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ maintenanceWindows: Type.Array(MaintenanceWindow) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ maintenanceWindows: await listMaintenanceWindows(ctxOf(deps, request), request.query) }),
  );

  api.post(
    '/maintenance-windows',
    {
      schema: {
        tags: ['noise'],
        summary: "Schedule a maintenance window: the service's new alerts are recorded as suppressed and page nobody",
        description: 'Starts now or later (up to 5 minutes in the past is read as now); ends after it starts, at most 90 days later.',
        body: Type.Object({ serviceId: Uuid, description: Text('What is being maintained'), startsAt: When, endsAt: When }, { additionalProperties: false }),
        response: { 201: OneWindow, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const window = await createMaintenanceWindow(ctxOf(deps, request), { ...b, startsAt: when(b.startsAt), endsAt: when(b.endsAt) });
      return reply.status(201).send({ maintenanceWindow: window });
    },
  );

  api.get(
    '/maintenance-windows/:id',
    { schema: { tags: ['noise'], summary: 'One maintenance window', params: IdParams, response: { 200: OneWindow, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => ({ maintenanceWindow: await getMaintenanceWindow(ctxOf(deps, request), request.params.id) }),
  );

  api.patch(
    '/maintenance-windows/:id',
    {
      schema: {
        tags: ['noise'],
        summary: 'Change a window; end it now with an endsAt of the current time',
        description: 'A past window keeps its times; an active one keeps its start and cannot end in the past; an upcoming one may move both.',
        params: IdParams,
        body: Type.Object(
          { description: Type.Optional(Text('What is being maintained')), startsAt: Type.Optional(When), endsAt: Type.Optional(When) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: OneWindow, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const b = request.body;
      const input = { description: b.description, startsAt: maybeWhen(b.startsAt), endsAt: maybeWhen(b.endsAt) };
      return { maintenanceWindow: await updateMaintenanceWindow(ctxOf(deps, request), request.params.id, input) };
    },
  );

  api.delete(
    '/maintenance-windows/:id',
    { schema: { tags: ['noise'], summary: 'Delete a maintenance window', params: IdParams, response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) } } },
    async (request, reply) => {
      await deleteMaintenanceWindow(ctxOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  // ---- silences ----
  api.get(
    '/silences',
    {
      schema: {
        tags: ['noise'],
        summary: 'Silences: active ones ending soonest, then pending, then expired (latest first)',
        querystring: Type.Object({ state: Type.Optional(Type.Enum(['active', 'pending', 'expired'])), limit: Type.Optional(Limit) }, { additionalProperties: false }),
        response: { 200: Type.Object({ silences: Type.Array(Silence) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ silences: await listSilences(ctxOf(deps, request), request.query) }),
  );

  api.post(
    '/silences',
    {
      schema: {
        tags: ['noise'],
        summary: 'Create a silence: new alerts matching every matcher are recorded as suppressed and page nobody',
        description: 'startsAt defaults to now (up to 5 minutes in the past is read as now); endsAt must be in the future. serviceId null or absent: every service.',
        body: Type.Object(
          {
            matchers: Matchers,
            comment: Text('Why; shown on every alert the silence suppresses'),
            startsAt: Type.Optional(When),
            endsAt: When,
            serviceId: Type.Optional(Nullable(Uuid)),
          },
          { additionalProperties: false },
        ),
        response: { 201: OneSilence, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const silence = await createSilence(ctxOf(deps, request), { ...b, startsAt: maybeWhen(b.startsAt), endsAt: when(b.endsAt) });
      return reply.status(201).send({ silence });
    },
  );

  api.get(
    '/silences/:id',
    { schema: { tags: ['noise'], summary: 'One silence', params: IdParams, response: { 200: OneSilence, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => ({ silence: await getSilence(ctxOf(deps, request), request.params.id) }),
  );

  api.patch(
    '/silences/:id',
    {
      schema: {
        tags: ['noise'],
        summary: 'Edit a silence (Alertmanager rules); 201 when the edit created a new silence',
        description:
          'Changing the matchers or service, or editing an expired silence, creates a new silence and expires the old one: the answer is the new silence (201) with `replaced` naming the old. ' +
          'Otherwise it changes in place (200): an active silence keeps its start and cannot end in the past; a pending one cannot start in the past.',
        params: IdParams,
        body: Type.Object(
          {
            matchers: Type.Optional(Matchers),
            comment: Type.Optional(Text('Why')),
            startsAt: Type.Optional(When),
            endsAt: Type.Optional(When),
            serviceId: Type.Optional(Nullable(Uuid)),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: SilenceEdited, 201: SilenceEdited, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const result = await updateSilence(ctxOf(deps, request), request.params.id, { ...b, startsAt: maybeWhen(b.startsAt), endsAt: maybeWhen(b.endsAt) });
      if (result.replaced) reply.header('location', `/api/v1/silences/${result.silence.id}`);
      return reply.status(result.replaced ? 201 : 200).send(result);
    },
  );

  api.post(
    '/silences/:id/expire',
    {
      schema: {
        tags: ['noise'],
        summary: 'End a silence now (an expired one is answered unchanged)',
        params: IdParams,
        response: { 200: OneSilence, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ silence: await expireSilence(ctxOf(deps, request), request.params.id) }),
  );

  // ---- event rules ----
  api.get(
    '/event-rules',
    {
      schema: {
        tags: ['noise'],
        summary: "Event rules in evaluation order: global ones first, then each service's; or one service's",
        querystring: Type.Object({ serviceId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: Type.Object({ eventRules: Type.Array(EventRule) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ eventRules: await listEventRules(ctxOf(deps, request), request.query) }),
  );

  api.post(
    '/event-rules',
    {
      schema: {
        tags: ['noise'],
        summary: "Add an event rule: global (serviceId null, admin) or a service's own (write)",
        body: Type.Object(
          {
            name: Type.String({ maxLength: 200 }),
            serviceId: Nullable(Uuid),
            matchers: Matchers,
            actions: ActionsIn,
            enabled: Type.Optional(Type.Boolean()),
            position: Type.Optional(Position),
          },
          { additionalProperties: false },
        ),
        response: { 201: OneRule, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send({ eventRule: await createEventRule(ctxOf(deps, request), request.body) }),
  );

  api.get(
    '/event-rules/:id',
    { schema: { tags: ['noise'], summary: 'One event rule', params: IdParams, response: { 200: OneRule, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => ({ eventRule: await getEventRule(ctxOf(deps, request), request.params.id) }),
  );

  api.patch(
    '/event-rules/:id',
    {
      schema: {
        tags: ['noise'],
        summary: 'Change or reorder an event rule (global rules: admin)',
        description: '`actions` replaces the actions as a whole; `position` moves the rule within its scope. The scope (global or a service) cannot change.',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 200 })),
            matchers: Type.Optional(Matchers),
            actions: Type.Optional(ActionsIn),
            enabled: Type.Optional(Type.Boolean()),
            position: Type.Optional(Position),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: OneRule, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ eventRule: await updateEventRule(ctxOf(deps, request), request.params.id, request.body) }),
  );

  api.delete(
    '/event-rules/:id',
    { schema: { tags: ['noise'], summary: 'Delete an event rule (global rules: admin)', params: IdParams, response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) } } },
    async (request, reply) => {
      await deleteEventRule(ctxOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  // ---- a service's alert settings ----
  api.get(
    '/services/:id/alert-settings',
    {
      schema: {
        tags: ['noise', 'services'],
        summary: 'How a service groups alerts into incidents and maps severity to urgency (effective rule with defaults)',
        params: IdParams,
        response: { 200: Type.Object({ alertSettings: AlertSettings }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ alertSettings: await getAlertSettings(ctxOf(deps, request), request.params.id) }),
  );

  api.put(
    '/services/:id/alert-settings',
    {
      schema: {
        tags: ['noise', 'services'],
        summary: "Replace a service's grouping and urgency rule",
        description:
          'grouping: {mode:"none"} | {mode:"time", windowMinutes} | {mode:"content", fields, windowMinutes}. urgencyRule: null (defaults) or {bySeverity?, supportHours?}.',
        params: IdParams,
        body: Type.Object({ grouping: Grouping, urgencyRule: Nullable(UrgencyRule) }, { additionalProperties: false }),
        response: { 200: Type.Object({ alertSettings: AlertSettings }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ alertSettings: await updateAlertSettings(ctxOf(deps, request), request.params.id, request.body) }),
  );
}
