import type { TokenScope } from '../../storage/schema.ts';

export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write', 'admin'];
/** Recognisable in logs and by secret scanners; the rest is 40 random [a-z0-9] (~206 bits). */
export const TOKEN_PREFIX = 'vgl_';
export const TOKEN_DISPLAY_CHARS = 12;

export interface ApiToken {
  id: string;
  name: string;
  scope: TokenScope;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

export function toApiToken(row: {
  id: string;
  name: string;
  scope: TokenScope;
  token_prefix: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.token_prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}
