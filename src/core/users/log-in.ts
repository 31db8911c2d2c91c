import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.ts';
import { writeAudit } from '../shared/audit.ts';
import type { Clock } from '../shared/clock.ts';
import { unauthorized } from '../shared/errors.ts';
import { hashSecret, randomString } from '../shared/secrets.ts';
import { dummyPasswordHash, verifyPassword } from './password.ts';
import { findUserByEmail, insertSession } from './store.ts';
import { normalizeEmail, toUser, type User } from './user.ts';

export interface LogInResult {
  user: User;
  /** The cookie value; only its hash is stored. */
  sessionToken: string;
  expiresAt: Date;
}

/** Password login for the web UI. The same answer for an unknown email and a wrong password. */
export async function logIn(
  deps: { db: Kysely<DB>; clock: Clock; requestId?: string },
  input: { email: string; password: string; ttlHours: number },
): Promise<LogInResult> {
  const email = normalizeEmail(input.email);
  const found = await deps.db.transaction().execute((tx) => findUserByEmail(tx, email));
  const ok = await verifyPassword(found?.password_hash ?? (await dummyPasswordHash()), input.password);
  if (!found || !ok) throw unauthorized('The email or password is incorrect.');

  const now = deps.clock.now();
  const sessionToken = randomString(48);
  const expiresAt = new Date(now.getTime() + input.ttlHours * 3_600_000);
  const user = toUser(found);
  await deps.db.transaction().execute(async (tx) => {
    await insertSession(tx, { token_hash: hashSecret(sessionToken), user_id: user.id, created_at: now, expires_at: expiresAt });
    const ctx = { db: deps.db, clock: deps.clock, actor: { type: 'user', id: user.id, name: user.name, role: user.role }, ...(deps.requestId ? { requestId: deps.requestId } : {}) } as const;
    await writeAudit(tx, ctx, { action: 'session.create', entityType: 'user', entityId: user.id });
  });
  return { user, sessionToken, expiresAt };
}
