import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { Actor } from '../shared/context.ts';
import { hashSecret } from '../shared/secrets.ts';
import { findLiveTokenByHash, findSessionUser, touchApiToken } from './store.ts';

// Recording every use would turn each read into a write; a minute's precision is enough.
const TOUCH_EVERY_MS = 60_000;

/** The actor behind a session cookie, or null when it is unknown or expired. */
export async function authenticateSession(db: Kysely<DB>, clock: Clock, sessionToken: string): Promise<Actor | null> {
  const row = await findSessionUser(db, hashSecret(sessionToken), clock.now());
  return row ? { type: 'user', id: row.id, name: row.name, role: row.role } : null;
}

/** The actor behind an API token, or null when it is unknown, revoked or expired. */
export async function authenticateToken(db: Kysely<DB>, clock: Clock, secret: string): Promise<Actor | null> {
  const now = clock.now();
  const row = await findLiveTokenByHash(db, hashSecret(secret), now);
  if (!row) return null;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
    await touchApiToken(db, row.id, now);
  }
  return { type: 'token', id: row.id, name: row.name, scope: row.scope, userId: row.user_id, userName: row.user_name, role: row.role };
}
