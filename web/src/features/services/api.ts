import { api } from '../../app/api.ts';

export interface IntegrationKey {
  id: string;
  name: string;
  /** The full key; null when the viewer may not see it (observers). */
  key: string | null;
  keyPreview: string;
  createdAt: string;
}

export interface Service {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  teamName: string | null;
  runbookUrl: string | null;
  createdAt: string;
  updatedAt: string;
  integrationKeys: IntegrationKey[];
}

export interface Team {
  id: string;
  name: string;
  description: string;
}

export interface ServiceInput {
  name: string;
  description?: string;
  teamId?: string | null;
  runbookUrl?: string | null;
}

const path = (id: string) => `/services/${encodeURIComponent(id)}`;

export const servicesApi = {
  list: (signal?: AbortSignal) => api.get<{ services: Service[] }>('/services', signal ? { signal } : {}).then((r) => r.services),
  get: (id: string, signal?: AbortSignal) => api.get<{ service: Service }>(path(id), signal ? { signal } : {}).then((r) => r.service),
  create: (input: ServiceInput) => api.post<{ service: Service }>('/services', input).then((r) => r.service),
  update: (id: string, input: Partial<ServiceInput>) => api.patch<{ service: Service }>(path(id), input).then((r) => r.service),
  remove: (id: string) => api.delete(path(id)),
  addKey: (id: string, name?: string) =>
    api.post<{ integrationKey: IntegrationKey }>(`${path(id)}/integration-keys`, name ? { name } : {}).then((r) => r.integrationKey),
  rotateKey: (id: string, keyId: string) =>
    api
      .post<{ integrationKey: IntegrationKey }>(`${path(id)}/integration-keys/${encodeURIComponent(keyId)}/rotate`, {})
      .then((r) => r.integrationKey),
  revokeKey: (id: string, keyId: string) => api.delete(`${path(id)}/integration-keys/${encodeURIComponent(keyId)}`),
  teams: (signal?: AbortSignal) => api.get<{ teams: Team[] }>('/teams', signal ? { signal } : {}).then((r) => r.teams),
};

/** Only http(s) URLs are rendered as links; anything else (javascript:, data:, …) stays text. */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
