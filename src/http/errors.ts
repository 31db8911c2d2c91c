import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorCode, type FieldError } from '../core/shared/errors.ts';
import { mapDbError } from '../storage/map-db-error.ts';

/** The one table from error code to HTTP status. docs/errors.md describes each code. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  EXPIRED: 410,
  LIMIT_EXCEEDED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown>; requestId: string };
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

const PART: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

/** ajv's findings as `{ field: "body.name", reason }`, one per problem. */
function fieldsFromAjv(issues: AjvIssue[], context: string): FieldError[] {
  const prefix = PART[context] ?? context;
  return issues.map((i) => {
    let path = prefix + i.instancePath.replace(/\//g, '.');
    let reason = i.message ?? 'is invalid';
    if (i.keyword === 'required') {
      path += `.${String(i.params.missingProperty)}`;
      reason = 'is required';
    } else if (i.keyword === 'additionalProperties') {
      path += `.${String(i.params.additionalProperty)}`;
      reason = 'is not a known field';
    } else if (i.keyword === 'enum' || i.keyword === 'const') {
      const allowed = (i.params.allowedValues as unknown[] | undefined) ?? [i.params.allowedValue];
      reason = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return { field: path, reason };
  });
}

/** Domain field names are relative to the request body; the API names them `body.<field>`. */
function qualify(fields: FieldError[]): FieldError[] {
  return fields.map((f) => (/^(body|query|params|headers)(\.|$)/.test(f.field) ? f : { ...f, field: `body.${f.field}` }));
}

/** Whatever was thrown, as a DomainError with a stable code. */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) {
    const fields = error.details?.fields as FieldError[] | undefined;
    return fields ? new DomainError(error.code, error.message, { ...error.details, fields: qualify(fields) }) : error;
  }
  const mapped = mapDbError(error);
  if (mapped) return toDomainError(mapped);
  const e = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (e?.validation) {
    const fields = fieldsFromAjv(e.validation, e.validationContext ?? 'body');
    return new DomainError('VALIDATION', fields.map((f) => `${f.field} ${f.reason}`).join('; '), { fields });
  }
  switch (e?.statusCode) {
    case 400:
      return new DomainError('VALIDATION', e instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? `The body is not valid JSON: ${e.message}` : e.message, {
        fields: [{ field: 'body', reason: e.message }],
      });
    case 413:
      return new DomainError('PAYLOAD_TOO_LARGE', 'The request body is larger than this server accepts.');
    case 415:
      return new DomainError('UNSUPPORTED_MEDIA_TYPE', `Unsupported Content-Type; send application/json.`);
    case 404:
      return new DomainError('NOT_FOUND', e.message);
    case 429:
      return new DomainError('RATE_LIMITED', e.message);
  }
  return new DomainError('INTERNAL', 'Something went wrong on our side; the request id identifies it in the server log.');
}

export function errorBody(error: DomainError, requestId: string): ErrorBody {
  return { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}), requestId } };
}

/** Fastify's error handler: everything leaves as `{"error":{code,message,details,requestId}}`. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const domain = toDomainError(error);
  const status = HTTP_STATUS[domain.code];
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: domain.code }, domain.message);
  return reply.status(status).type('application/json').send(errorBody(domain, request.id));
}
