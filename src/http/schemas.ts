import { Type } from 'typebox';

/** Shared TypeBox schemas: one definition validates, serialises and documents (OpenAPI). */
export const Uuid = Type.String({ format: 'uuid' });
// Dates leave the core as Date objects; the serialiser writes them as ISO 8601 strings.
export const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Uuid });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable error code; see docs/errors.md' }),
      message: Type.String(),
      details: Type.Optional(Type.Object({}, { additionalProperties: true })),
      requestId: Type.String(),
    }),
  },
  { $id: 'ErrorResponse' },
);

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('responder'), Type.Literal('observer')]);
export const Scope = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')]);

export const User = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  timeZone: Type.String(),
  role: Role,
  createdAt: DateTime,
});

export const Team = Type.Object({ id: Uuid, name: Type.String(), description: Type.String(), createdAt: DateTime });

export const ApiToken = Type.Object({
  id: Uuid,
  name: Type.String(),
  scope: Scope,
  prefix: Type.String({ description: 'The first characters of the secret, to recognise it' }),
  createdAt: DateTime,
  expiresAt: Nullable(DateTime),
  lastUsedAt: Nullable(DateTime),
});

export const IntegrationKey = Type.Object({
  id: Uuid,
  name: Type.String(),
  key: Nullable(Type.String({ description: '32 characters; null for observers' })),
  keyPreview: Type.String(),
  createdAt: DateTime,
});

export const Service = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  teamId: Nullable(Uuid),
  teamName: Nullable(Type.String()),
  runbookUrl: Nullable(Type.String()),
  escalationPolicyId: Nullable(Uuid),
  createdAt: DateTime,
  updatedAt: DateTime,
  integrationKeys: Type.Array(IntegrationKey),
});

/** Standard error responses documented on every authenticated route. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, Type.Ref('ErrorResponse')]));

export const NoContent = Type.Null({ description: 'No content' });

const Severity = Type.Union([Type.Literal('critical'), Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')]);
const Urgency = Type.Union([Type.Literal('high'), Type.Literal('low')]);
const Status = Type.Union([Type.Literal('triggered'), Type.Literal('acknowledged'), Type.Literal('resolved')]);
const LinkSchema = Type.Object({ href: Type.String(), text: Type.Optional(Type.String()) });
const Json = Type.Record(Type.String(), Type.Unknown());

export const Alert = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  serviceId: Uuid,
  serviceName: Type.String(),
  incidentId: Nullable(Uuid),
  incidentNumber: Nullable(Type.Integer()),
  dedupKey: Type.String(),
  status: Status,
  sender: Type.String(),
  summary: Type.String(),
  source: Nullable(Type.String()),
  severity: Severity,
  urgency: Urgency,
  component: Nullable(Type.String()),
  group: Nullable(Type.String()),
  class: Nullable(Type.String()),
  description: Nullable(Type.String()),
  details: Json,
  labels: Type.Record(Type.String(), Type.String()),
  groupKey: Nullable(Type.String()),
  links: Type.Array(LinkSchema),
  images: Type.Array(Type.Object({ src: Type.String(), href: Type.Optional(Type.String()), alt: Type.Optional(Type.String()) })),
  client: Nullable(Type.String()),
  clientUrl: Nullable(Type.String()),
  suppressedBy: Nullable(Json),
  count: Type.Integer({ description: 'How many times the sender triggered it (repeats are deduplicated)' }),
  startedAt: DateTime,
  createdAt: DateTime,
  lastSeenAt: DateTime,
  acknowledgedAt: Nullable(DateTime),
  resolvedAt: Nullable(DateTime),
});

export const AlertEvent = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  alertId: Nullable(Uuid),
  serviceId: Nullable(Uuid),
  sender: Type.String(),
  action: Type.String(),
  decision: Type.String({ description: 'created, deduplicated, acknowledged, resolved, retriggered (an acknowledgement timed out), ignored, suppressed or dropped' }),
  reason: Type.String(),
  dedupKey: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  payload: Type.Unknown(),
});

export const ChangeEvent = Type.Object({
  id: Uuid,
  serviceId: Uuid,
  serviceName: Type.String(),
  summary: Type.String(),
  source: Nullable(Type.String()),
  happenedAt: DateTime,
  receivedAt: DateTime,
  details: Json,
  links: Type.Array(LinkSchema),
});

export const Incident = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  serviceId: Uuid,
  serviceName: Type.String(),
  title: Type.String(),
  status: Status,
  urgency: Urgency,
  alertCount: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
  acknowledgedAt: Nullable(DateTime),
  resolvedAt: Nullable(DateTime),
});

/** An incident's escalation and the delivery log of its pages (core/escalation). */
export const DeliveryLog = Type.Object({
  incidentId: Uuid,
  incidentNumber: Type.Integer(),
  escalation: Nullable(
    Type.Object({
      policy: Type.Object({ id: Nullable(Uuid), name: Type.String(), version: Type.Integer() }),
      level: Type.Integer(),
      pass: Type.Integer(),
      restarts: Type.Integer({ description: 'How often the escalation started again (acknowledgement timed out, reassigned)' }),
      nextRunAt: Nullable(DateTime),
      stoppedAt: Nullable(DateTime),
      stopReason: Nullable(Type.String()),
      startedAt: DateTime,
      steps: Type.Array(
        Type.Object({
          at: DateTime,
          level: Nullable(Type.Integer()),
          pass: Nullable(Type.Integer()),
          userIds: Type.Array(Uuid),
          skipped: Type.Array(Type.Object({ level: Type.Integer(), pass: Type.Integer(), reason: Type.String() })),
          manual: Type.Optional(Type.Object({ by: Type.String(), requestedLevel: Nullable(Type.Integer()) }, { description: 'A person escalated by hand' })),
          restart: Type.Optional(
            Type.Object(
              { reason: Type.Union([Type.Literal('ack timeout'), Type.Literal('reassigned'), Type.Literal('escalated after it ended')]), by: Nullable(Type.String()), to: Type.Optional(Type.String()) },
              { description: 'The escalation started again here: why, who (null: the acknowledgement timed out), and to whom it was reassigned' },
            ),
          ),
        }),
      ),
    }),
  ),
  notifications: Type.Array(
    Type.Object({
      id: Uuid,
      level: Type.Integer(),
      pass: Type.Integer(),
      restart: Type.Integer({ description: 'The start of the escalation it belongs to (0: the first)' }),
      user: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
      contactMethod: Nullable(Type.Object({ id: Uuid, type: Type.String(), label: Type.String() })),
      delayMinutes: Nullable(Type.Integer()),
      status: Type.Union([Type.Literal('queued'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('failed'), Type.Literal('cancelled')]),
      attempts: Type.Integer(),
      lastError: Nullable(Type.String()),
      createdAt: DateTime,
      sentAt: Nullable(DateTime),
    }),
  ),
});

export { Severity, Status as AlertStatus };
