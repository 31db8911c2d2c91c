import '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Actor, type Ctx } from '../core/shared/context.ts';
import { unauthorized } from '../core/shared/errors.ts';
import { authenticateSession, authenticateToken } from '../core/users/index.ts';
import type { AppDeps } from './app.ts';

export const SESSION_COOKIE = 'vigil_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** false: a public route (login, health, OpenAPI). Everything else needs a session or a token. */
    auth?: boolean;
  }
}

/**
 * Runs on every request before the body is read: an `Authorization: Bearer <token>` header, else
 * the session cookie. Routes not marked `auth: false` answer 401 without one.
 */
export function authenticate(deps: AppDeps) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    request.actor = null;
    // Public routes and unknown paths (which answer 404) need no identity.
    if (request.routeOptions.config?.auth === false || request.routeOptions.url === undefined) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S{1,512})$/i.exec(header);
      if (!match) throw unauthorized('The Authorization header must be "Bearer <token>".');
      request.actor = await authenticateToken(deps.database.db, deps.clock, match[1]!);
      if (!request.actor) throw unauthorized('The API token is unknown, revoked or expired.');
      return;
    }
    const session = request.cookies?.[SESSION_COOKIE];
    if (session && session.length <= 256) request.actor = await authenticateSession(deps.database.db, deps.clock, session);
    if (!request.actor) {
      throw unauthorized(session ? 'Your session has expired; please sign in again.' : 'Authentication is required: sign in, or send an API token as "Authorization: Bearer <token>".');
    }
  };
}

/** The verb context for a request: the shared database and clock, this request's actor and id. */
export function ctxOf(deps: AppDeps, request: FastifyRequest): Ctx {
  if (!request.actor) throw unauthorized();
  return { db: deps.database.db, clock: deps.clock, actor: request.actor, requestId: request.id };
}
