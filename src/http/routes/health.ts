import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import { findStalled } from '../../core/escalation/index.ts';
import { authorize } from '../../core/shared/context.ts';
import { pendingMigrations } from '../../storage/migrate.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';

const Checks = Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Type.String()) });

/** Liveness, readiness (database reachable, migrations current) and Prometheus metrics. */
export function registerHealthRoutes(app: App, deps: AppDeps, registry: Registry): void {
  app.get(
    '/healthz',
    { config: { auth: false, rateLimit: false }, schema: { tags: ['health'], summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { auth: false, rateLimit: false },
      schema: {
        tags: ['health'],
        summary: 'Ready to serve: the database answers and every migration is applied; `checks.paging` names any incident whose page is stuck',
        response: { 200: Checks, 503: Checks },
      },
    },
    async (_request, reply) => {
      const checks: Record<string, string> = {};
      try {
        await sql`select 1`.execute(deps.database.db);
        checks.database = 'ok';
        const pending = await pendingMigrations(deps.database.db);
        checks.migrations = pending.length ? `pending: ${pending.join(', ')}` : 'current';
        // Reported, not a reason to take this node out of service: every node would say the same.
        if (!pending.length) {
          const stalled = await findStalled(deps.database.db);
          checks.paging = stalled.length ? `stalled: ${stalled.map((s) => `incident #${s.number} (${s.reason})`).join(', ')}` : 'ok';
        }
      } catch (e) {
        checks.database = `unreachable: ${(e as Error).message}`;
      }
      const ready = checks.database === 'ok' && checks.migrations === 'current';
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
    },
  );

  app.get(
    '/metrics',
    { config: { rateLimit: false }, schema: { tags: ['health'], summary: 'Prometheus metrics (needs a token with the read scope)' } },
    async (request, reply) => {
      authorize(ctxOf(deps, request).actor, 'read');
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
}
