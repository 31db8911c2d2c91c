/**
 * Errors are values with stable codes. Core code throws these; each transport maps the code once
 * (HTTP: src/http/errors.ts). docs/errors.md lists every code and when it is raised.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'EXPIRED',
  'LIMIT_EXCEEDED',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** One field that failed validation: `field` is a dotted path into the input ("body.email"). */
export interface FieldError {
  field: string;
  reason: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export const validationError = (fields: FieldError[], message?: string): DomainError =>
  new DomainError(
    'VALIDATION',
    message ?? fields.map((f) => `${f.field}: ${f.reason}`).join('; '),
    { fields },
  );

export const notFound = (entity: string, id: string): DomainError =>
  new DomainError('NOT_FOUND', `${entity} ${id} was not found.`, { entity, id });

export const conflict = (message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError('CONFLICT', message, details);

export const forbidden = (message = 'You do not have permission to do this.'): DomainError =>
  new DomainError('FORBIDDEN', message);

export const unauthorized = (message = 'Authentication is required.'): DomainError =>
  new DomainError('UNAUTHORIZED', message);

export const unavailable = (message: string): DomainError => new DomainError('UNAVAILABLE', message);

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
