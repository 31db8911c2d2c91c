import { api } from '../../app/api.ts';
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
