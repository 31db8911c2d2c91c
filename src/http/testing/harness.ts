import type { LightMyRequestResponse } from 'fastify';
import { FakeClock } from '../../core/shared/clock.ts';
import { systemActor, type Ctx } from '../../core/shared/context.ts';
import { createApiToken, createUser } from '../../core/users/index.ts';
import type { Role, TokenScope } from '../../storage/schema.ts';
import type { Database } from '../../storage/open-database.ts';
import { createTestDatabase, type TestDatabaseKind } from '../../storage/testing/test-database.ts';
import { type App, type AppDeps, createApp } from '../app.ts';

export const PASSWORD = 'correct horse battery staple';

export interface Harness {
  app: App;
  database: Database;
  clock: FakeClock;
  /** Bearer tokens: one per role, with the scope matching the role. */
  tokens: Record<Role, string>;
  users: Record<Role, { id: string; email: string }>;
  /** A token for `role` capped at `scope`. */
  token(role: Role, scope: TokenScope): Promise<string>;
  request(method: string, url: string, options?: { token?: string | undefined; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

const ROLE_SCOPE: Record<Role, TokenScope> = { admin: 'admin', responder: 'write', observer: 'read' };

/** A real app on a fresh database with one user (and token) per role, and a fake clock. */
export async function createHarness(kind: TestDatabaseKind, config: Partial<AppDeps['config']> = {}): Promise<Harness> {
  const database = await createTestDatabase(kind);
  const clock = new FakeClock('2026-03-02T09:00:00Z');
  const app = await createApp({
    database,
    clock,
    version: 'test',
    config: { publicUrl: 'http://vigil.test', bodyLimitBytes: 64 * 1024, rateLimitPerMinute: 10_000, sessionTtlHours: 24, trustProxy: false, ...config },
  });
  const ctx: Ctx = { db: database.db, clock, actor: systemActor('test') };
  const users = {} as Harness['users'];
  const tokens = {} as Harness['tokens'];
  const token = async (role: Role, scope: TokenScope) => {
    const user = users[role];
    const asUser: Ctx = { ...ctx, actor: { type: 'user', id: user.id, name: role, role } };
    return (await createApiToken(asUser, { name: `${role}-${scope}`, scope })).secret;
  };
  for (const role of ['admin', 'responder', 'observer'] as const) {
    const user = await createUser(ctx, { email: `${role}@example.com`, name: `The ${role}`, role, password: PASSWORD });
    users[role] = { id: user.id, email: user.email };
    tokens[role] = await token(role, ROLE_SCOPE[role]);
  }
  return {
    app,
    database,
    clock,
    tokens,
    users,
    token,
    request: (method, url, options = {}) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body !== undefined && typeof options.body !== 'string' ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        ...(options.body !== undefined ? { payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
      }),
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** The error body's code, failing loudly when the body is not an error body. */
export function errorOf(res: LightMyRequestResponse): { code: string; message: string; details?: { fields?: { field: string; reason: string }[] }; requestId: string } {
  const body = res.json() as { error?: never };
  if (!body.error) throw new Error(`expected an error body, got ${res.statusCode} ${res.body}`);
  return body.error;
}
