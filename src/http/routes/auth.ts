import { Type } from 'typebox';
import { getMe, logIn, logOut, updateProfile, changePassword } from '../../core/users/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf, SESSION_COOKIE } from '../auth.ts';
import { errorResponses, NoContent, User } from '../schemas.ts';

const Credentials = Type.Object(
  { email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 256 }) },
  { additionalProperties: false },
);

/** Web sign-in (a session cookie) and the signed-in user's own profile. */
export function registerAuthRoutes(api: App, deps: AppDeps): void {
  const secure = deps.config.publicUrl.startsWith('https:');

  api.post(
    '/auth/login',
    {
      // Slows password guessing: 10 attempts a minute per address.
      config: { auth: false, rateLimit: { max: 10, timeWindow: 60_000, keyGenerator: (r) => `login:${r.ip}` } },
      schema: { tags: ['auth'], summary: 'Sign in with email and password; sets the session cookie', security: [], body: Credentials, response: { 200: Type.Object({ user: User }), ...errorResponses(400, 401, 429) } },
    },
    async (request, reply) => {
      const result = await logIn(
        { db: deps.database.db, clock: deps.clock, requestId: request.id },
        { ...request.body, ttlHours: deps.config.sessionTtlHours },
      );
      reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        expires: result.expiresAt,
      });
      return { user: result.user };
    },
  );

  api.post(
    '/auth/logout',
    { config: { auth: false }, schema: { tags: ['auth'], summary: 'End this session', security: [], response: { 204: NoContent } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await logOut({ db: deps.database.db, clock: deps.clock, actor: { type: 'system', name: 'logout' } }, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/me',
    { schema: { tags: ['auth'], summary: 'The user behind this session or token', response: { 200: Type.Object({ user: User, via: Type.String() }), ...errorResponses(401) } } },
    async (request) => ({ user: await getMe(ctxOf(deps, request)), via: request.actor?.type === 'token' ? 'token' : 'session' }),
  );

  api.patch(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your name or time zone',
        body: Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })), timeZone: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ user: User }), ...errorResponses(400, 401) },
      },
    },
    async (request) => ({ user: await updateProfile(ctxOf(deps, request), request.body) }),
  );

  api.post(
    '/me/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your password (signs out your other sessions)',
        body: Type.Object({ currentPassword: Type.String({ maxLength: 256 }), newPassword: Type.String({ maxLength: 256 }) }, { additionalProperties: false }),
        response: { 204: NoContent, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await changePassword(ctxOf(deps, request), { ...request.body, keepSessionToken: request.cookies[SESSION_COOKIE] });
      return reply.status(204).send(null);
    },
  );
}
