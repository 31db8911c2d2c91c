import { api, ApiError } from '../../app/api.ts';
import type { Role, User } from '../../app/api.ts';

export type TokenScope = 'read' | 'write' | 'admin';

export interface ApiToken {
  id: string;
  name: string;
  scope: TokenScope;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  timeZone?: string;
  password: string;
}

export const settingsApi = {
  updateProfile: (input: { name?: string; timeZone?: string }) => api.patch<{ user: User }>('/me', input).then((r) => r.user),
  changePassword: (currentPassword: string, newPassword: string) => api.post<void>('/me/password', { currentPassword, newPassword }),
  tokens: (signal?: AbortSignal) => api.get<{ tokens: ApiToken[] }>('/tokens', signal ? { signal } : {}).then((r) => r.tokens),
  createToken: (input: { name: string; scope: TokenScope; expiresInDays?: number }) =>
    api.post<{ token: ApiToken; secret: string }>('/tokens', input),
  revokeToken: (id: string) => api.delete(`/tokens/${encodeURIComponent(id)}`),
  users: (signal?: AbortSignal) => api.get<{ users: User[] }>('/users', signal ? { signal } : {}).then((r) => r.users),
  createUser: (input: NewUser) => api.post<{ user: User }>('/users', input).then((r) => r.user),
};

// ——— contact methods, notification rules and readiness (docs/escalation.md) ———

export type ContactType = 'email' | 'webhook' | 'slack' | 'slack_webhook' | 'teams' | 'sms' | 'voice';
export type Urgency = 'high' | 'low';

export interface ContactMethod {
  id: string;
  userId: string;
  type: ContactType;
  label: string;
  address: string;
  verified: boolean;
  verifiedAt: string | null;
  createdAt: string;
}

export interface NotificationRule {
  id: string;
  userId: string;
  contactMethodId: string;
  urgency: Urgency;
  delayMinutes: number;
}

export interface Readiness {
  high: boolean;
  low: boolean;
  problems: string[];
}

export interface Contacts {
  methods: ContactMethod[];
  rules: NotificationRule[];
  readiness: Readiness;
}

export interface ReadinessReport {
  from: string;
  to: string;
  people: { user: { id: string; name: string }; from: string; schedules: { id: string; name: string }[]; readiness: Readiness }[];
}

const mine = '/users/me';
const method = (id: string) => `${mine}/contact-methods/${encodeURIComponent(id)}`;

export const contactsApi = {
  get: (signal?: AbortSignal) => api.get<Contacts>(`${mine}/contacts`, signal ? { signal } : {}),
  addMethod: (input: { type: ContactType; label: string; address: string }) =>
    api.post<{ contactMethod: ContactMethod }>(`${mine}/contact-methods`, input).then((r) => r.contactMethod),
  // 202 with no document: an empty body is an answer here, not a bad response.
  sendCode: (id: string) =>
    api.post<void>(`${method(id)}/send-code`).catch((error: unknown) => {
      if (error instanceof ApiError && error.code === 'BAD_RESPONSE' && error.status === 202) return;
      throw error;
    }),
  verify: (id: string, code: string) => api.post<{ contactMethod: ContactMethod }>(`${method(id)}/verify`, { code }).then((r) => r.contactMethod),
  deleteMethod: (id: string) => api.delete(method(id)),
  addRule: (input: { contactMethodId: string; urgency: Urgency; delayMinutes: number }) =>
    api.post<{ rule: NotificationRule }>(`${mine}/notification-rules`, input).then((r) => r.rule),
  deleteRule: (id: string) => api.delete(`${mine}/notification-rules/${encodeURIComponent(id)}`),
  readiness: (signal?: AbortSignal) => api.get<ReadinessReport>('/readiness', signal ? { signal } : {}),
};

// ——— outgoing webhooks (docs/webhooks.md; admins only) ———

export const WEBHOOK_EVENTS = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.escalated',
  'incident.reassigned',
  'incident.resolved',
  'incident.note_added',
  'incident.status_update_published',
] as const;

export interface Webhook {
  id: string;
  url: string;
  description: string;
  serviceId: string | null;
  serviceName: string | null;
  events: string[];
  enabled: boolean;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  eventType: string;
  status: 'queued' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  durationMs: number | null;
  nextAttemptAt: string | null;
  createdAt: string;
}

const hook = (id: string) => `/webhooks/${encodeURIComponent(id)}`;

export const webhooksApi = {
  list: (signal?: AbortSignal) => api.get<{ webhooks: Webhook[] }>('/webhooks', signal ? { signal } : {}).then((r) => r.webhooks),
  create: (input: { url: string; description?: string; serviceId: string | null; events?: string[] }) => api.post<{ webhook: Webhook; secret: string }>('/webhooks', input),
  setEnabled: (id: string, enabled: boolean) => api.patch<{ webhook: Webhook }>(hook(id), { enabled }).then((r) => r.webhook),
  delete: (id: string) => api.delete(hook(id)),
  test: (id: string) => api.post<{ delivery: WebhookDelivery }>(`${hook(id)}/test`).then((r) => r.delivery),
  deliveries: (id: string, signal?: AbortSignal) =>
    api.get<{ deliveries: WebhookDelivery[]; nextCursor: string | null }>(`${hook(id)}/deliveries?limit=20`, signal ? { signal } : {}).then((r) => r.deliveries),
};
