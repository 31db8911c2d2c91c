// The escalation API (docs/escalation.md, "API"): policies, their preview, and a service's policy.
import { request } from '../../app/api.ts';
import { api } from '../../app/api.ts';

export type TargetType = 'user' | 'schedule' | 'team';
export type Mode = 'all' | 'round-robin';

export interface Ref {
  id: string;
  name: string;
}

export interface TargetView {
  type: TargetType;
  id: string;
  /** null: deleted since; resolves to nobody. */
  name: string | null;
}

export interface Policy {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  repeat: number;
  ackTimeoutMinutes: number | null;
  version: number;
  levels: { delayMinutes: number; mode: Mode; targets: TargetView[] }[];
  services: Ref[];
  createdAt: string;
  updatedAt: string;
}

export interface PolicyInput {
  name: string;
  description?: string;
  repeat?: number;
  ackTimeoutMinutes?: number | null;
  levels: { delayMinutes: number; mode: Mode; targets: { type: TargetType; id: string }[] }[];
}

export interface Preview {
  policyId: string;
  version: number;
  at: string;
  levels: { level: number; delayMinutes: number; mode: Mode; targets: (TargetView & { users: Ref[] })[]; users: Ref[]; skipped: boolean }[];
  timeline: { at: string; level: number | null; pass: number | null; users: Ref[]; skipped: { level: number; pass: number }[] }[];
}

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});
const path = (id: string) => `/escalation-policies/${encodeURIComponent(id)}`;

export const policiesApi = {
  list: (signal?: AbortSignal) => api.get<{ policies: Policy[] }>('/escalation-policies', opts(signal)).then((r) => r.policies),
  get: (id: string, signal?: AbortSignal) => api.get<{ policy: Policy }>(path(id), opts(signal)).then((r) => r.policy),
  create: (input: PolicyInput) => api.post<{ policy: Policy }>('/escalation-policies', input).then((r) => r.policy),
  update: (id: string, input: PolicyInput) => api.patch<{ policy: Policy }>(path(id), input).then((r) => r.policy),
  remove: (id: string) => api.delete(path(id)),
  preview: (id: string, signal?: AbortSignal) => api.get<{ preview: Preview }>(`${path(id)}/preview`, opts(signal)).then((r) => r.preview),
  setServicePolicy: (serviceId: string, policyId: string | null) =>
    request<{ serviceId: string; policy: Ref | null }>('PUT', `/services/${encodeURIComponent(serviceId)}/escalation-policy`, { policyId }),
};

export const MODE_LABEL: Record<Mode, string> = { all: 'Everyone', 'round-robin': 'Round-robin' };
export const TYPE_LABEL: Record<TargetType, string> = { user: 'Person', schedule: 'Schedule', team: 'Team' };
