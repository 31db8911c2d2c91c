import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import type { Tx } from '../shared/context.ts';
import { ensureServerSecret } from './store.ts';

const NAME = 'action-links';
// Per database handle: read once, then every page and every click reuses it.
const cache = new WeakMap<Tx, Promise<Buffer>>();

/**
 * The key links are signed with: 32 random bytes kept in the database, so every node on one
 * PostgreSQL shares it and links survive restarts. Never logged or returned by any API.
 */
export function linkSecret(db: Tx, clock: Clock): Promise<Buffer> {
  let secret = cache.get(db);
  if (!secret) {
    secret = ensureServerSecret(db, NAME, randomBytes(32).toString('base64'), clock.now()).then((v) => Buffer.from(v, 'base64'));
    // A failed read (database down) is retried by the next caller rather than cached.
    secret.catch(() => cache.delete(db));
    cache.set(db, secret);
  }
  return secret;
}
