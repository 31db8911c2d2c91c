import { createHmac, randomBytes } from 'node:crypto';
import type { FieldError } from '../shared/errors.ts';

/** Every incident event a subscription can ask for; `events` defaults to all of them. */
export const EVENT_TYPES = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.escalated',
  'incident.reassigned',
  'incident.resolved',
  // Accepted in subscriptions; nothing emits these two until incident notes and status updates exist.
  'incident.note_added',
  'incident.status_update_published',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Sent only by `POST /webhooks/{id}/test`, to that subscription alone. */
export const PING = 'vigil.ping';

export const MAX_URL_LENGTH = 2048;
export const MAX_DESCRIPTION_LENGTH = 500;
export const MAX_SUBSCRIPTIONS = 100;
/** Attempts per delivery before it is failed: 30 s doubling, about an hour from the first to the last. */
export const MAX_ATTEMPTS = 8;
export const RETRY = { baseMs: 30_000, maxMs: 30 * 60_000, jitter: 0.25 };
/** A Retry-After longer than this is not waited for: the usual backoff applies instead. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;
/** After a rotation the old secret signs too (a second v1) for this long, so receivers can switch. */
export const PREVIOUS_SECRET_MS = 24 * 60 * 60_000;
export const TIMEOUT_MS = 10_000;
export const EXCERPT_LENGTH = 500;

export type DeliveryStatus = 'queued' | 'sending' | 'delivered' | 'failed';

export interface Webhook {
  id: string;
  url: string;
  description: string;
  serviceId: string | null;
  serviceName: string | null;
  events: EventType[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  incidentId: string | null;
  occurredAt: Date;
  redeliveryOf: string | null;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  responseExcerpt: string | null;
  durationMs: number | null;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a subscription's URL must be: http(s), absolute, no user:password, at most 2048 characters. */
export function checkUrl(url: string, field = 'url'): FieldError | null {
  if (url.length > MAX_URL_LENGTH) return { field, reason: `must be at most ${MAX_URL_LENGTH} characters` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { field, reason: 'must be an absolute http or https URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { field, reason: 'must be an http or https URL' };
  // A password in the URL would show in every list and log; receivers authenticate by the signature.
  if (parsed.username || parsed.password) return { field, reason: 'must not contain a user name or password' };
  return null;
}

export function checkEvents(events: readonly string[], field = 'events'): FieldError | null {
  if (events.length === 0) return { field, reason: 'must name at least one event type' };
  const unknown = events.filter((e) => !(EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length) return { field, reason: `unknown event type ${unknown.join(', ')}; known: ${EVENT_TYPES.join(', ')}` };
  return null;
}

export function checkDescription(description: string, field = 'description'): FieldError | null {
  return description.length > MAX_DESCRIPTION_LENGTH ? { field, reason: `must be at most ${MAX_DESCRIPTION_LENGTH} characters` } : null;
}

/** 32 random bytes, prefixed so secret scanners recognise a leaked one. */
export const newSecret = () => `vigil_whsec_${randomBytes(32).toString('base64url')}`;

/**
 * `X-Vigil-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, with one
 * more `v1=` per extra secret (the previous one during a rotation's grace period).
 */
export function signatureHeader(secrets: readonly string[], unixSeconds: number, rawBody: string): string {
  const signed = `${unixSeconds}.${rawBody}`;
  return [`t=${unixSeconds}`, ...secrets.map((s) => `v1=${createHmac('sha256', s).update(signed, 'utf8').digest('hex')}`)].join(',');
}

/** Retry on network errors, 408, 429 and 5xx; any other non-2xx answer fails the delivery at once. */
export const retryable = (status: number | null) => status === null || status === 408 || status === 429 || status >= 500;

/** Retry-After in milliseconds (seconds or an HTTP date), or null when absent, unreadable or too long. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  const ms = /^\d{1,10}$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now.getTime();
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_RETRY_AFTER_MS) return null;
  return ms;
}
