// Tiny JSON client for the Vigil HTTP API (/api/v1). Same-origin fetch, so the session
// cookie set by POST /auth/login travels automatically.

export type Role = 'admin' | 'responder' | 'observer';

export interface User {
  id: string;
  email: string;
  name: string;
  timeZone: string;
  role: Role;
}

export interface FieldError {
  field: string;
  reason: string;
}

/** An error reported by the API (or a failure to reach it, with status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: readonly FieldError[];
  readonly requestId: string | undefined;

  constructor(status: number, code: string, message: string, fields: readonly FieldError[] = [], requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.requestId = requestId;
  }
}

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener | null = null;

/** Registers the single handler called whenever a request comes back 401 (the session is gone). */
export function setUnauthorizedHandler(listener: UnauthorizedListener | null): void {
  onUnauthorized = listener;
}

export interface RequestOptions {
  /** Don't treat a 401 as "session expired" (used by the login call itself). */
  ignoreUnauthorized?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (options.signal) init.signal = options.signal;

  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK', 'Could not reach the Vigil server. Check your connection and try again.');
  }

  if (response.status === 204) return undefined as T;

  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }

  if (!response.ok) {
    const error = toApiError(response.status, parsed);
    if (response.status === 401 && !options.ignoreUnauthorized) onUnauthorized?.();
    throw error;
  }
  if (parsed === undefined) {
    throw new ApiError(response.status, 'BAD_RESPONSE', 'The server sent a response that could not be read.');
  }
  return parsed as T;
}

function toApiError(status: number, body: unknown): ApiError {
  const envelope = isRecord(body) && isRecord(body['error']) ? body['error'] : null;
  if (!envelope) {
    return new ApiError(status, `HTTP_${status}`, `The request failed (HTTP ${status}).`);
  }
  const code = typeof envelope['code'] === 'string' ? envelope['code'] : `HTTP_${status}`;
  const message = typeof envelope['message'] === 'string' && envelope['message'] ? envelope['message'] : `The request failed (HTTP ${status}).`;
  const requestId = typeof envelope['requestId'] === 'string' ? envelope['requestId'] : undefined;
  const fields: FieldError[] = [];
  const details = envelope['details'];
  if (isRecord(details) && Array.isArray(details['fields'])) {
    for (const item of details['fields']) {
      if (isRecord(item) && typeof item['field'] === 'string') {
        fields.push({ field: item['field'], reason: typeof item['reason'] === 'string' ? item['reason'] : 'is invalid' });
      }
    }
  }
  return new ApiError(status, code, message, fields, requestId);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "body.name" / "body/name" / "/name" → "name"; so forms can match errors to their inputs. */
export function fieldName(field: string): string {
  return field.replace(/^(body|querystring|query|params|headers)[./]/, '').replace(/^\//, '').replace(/\//g, '.');
}

/**
 * Splits an error into messages for the inputs a form has and whatever is left for the form-level
 * message. `known` lists the form's input names (as the API names them, without "body.").
 */
export function splitFieldErrors(error: unknown, known: readonly string[]): { byField: Record<string, string>; general: string | null } {
  if (!error) return { byField: {}, general: null };
  if (!(error instanceof ApiError)) {
    return { byField: {}, general: error instanceof Error ? error.message : 'Something went wrong.' };
  }
  const byField: Record<string, string> = {};
  let unmatched = 0;
  for (const { field, reason } of error.fields) {
    const name = fieldName(field);
    if (known.includes(name)) {
      byField[name] = byField[name] ? `${byField[name]}; ${reason}` : reason;
    } else {
      unmatched++;
    }
  }
  // The API's message already spells out every problem, so it is the fallback for anything
  // that has no input of its own on this form.
  const general = error.fields.length > 0 && unmatched === 0 ? 'Please correct the highlighted fields.' : error.message;
  return { byField, general };
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
  delete: (path: string, options?: RequestOptions) => request<void>('DELETE', path, undefined, options),
};
