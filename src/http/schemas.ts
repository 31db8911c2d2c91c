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
  createdAt: DateTime,
  updatedAt: DateTime,
  integrationKeys: Type.Array(IntegrationKey),
});

/** Standard error responses documented on every authenticated route. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, Type.Ref('ErrorResponse')]));

export const NoContent = Type.Null({ description: 'No content' });
