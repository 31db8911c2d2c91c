import { Type } from 'typebox';
import { listAudit } from '../../core/audit/list-audit.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { DateTime, errorResponses, Nullable } from '../schemas.ts';

const Entry = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()), name: Nullable(Type.String()), tokenId: Nullable(Type.String()) }),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  requestId: Nullable(Type.String()),
});

export function registerAuditRoutes(api: App, deps: AppDeps): void {
  api.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (admin)',
        querystring: Type.Object(
          {
            entityType: Type.Optional(Type.String({ maxLength: 64 })),
            entityId: Type.Optional(Type.String({ maxLength: 64 })),
            action: Type.Optional(Type.String({ maxLength: 64 })),
            before: Type.Optional(Type.Integer({ minimum: 1 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ entries: Type.Array(Entry), nextCursor: Nullable(Type.Integer()) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listAudit(ctxOf(deps, request), request.query),
  );
}
