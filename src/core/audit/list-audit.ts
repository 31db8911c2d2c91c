import { authorize, type Ctx } from '../shared/context.ts';

export interface AuditQuery {
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  /** Return entries older than this id (the previous page's `nextCursor`). */
  before?: number | undefined;
  limit?: number | undefined;
}

export interface AuditEntryView {
  id: number;
  at: Date;
  actor: { type: string; id: string | null; name: string | null; tokenId: string | null };
  action: string;
  entityType: string;
  entityId: string | null;
  data: Record<string, unknown>;
  requestId: string | null;
}

/** Newest first, paged by id. Admins only: the log names everyone's actions. */
export async function listAudit(ctx: Ctx, query: AuditQuery): Promise<{ entries: AuditEntryView[]; nextCursor: number | null }> {
  authorize(ctx.actor, 'admin');
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  let q = ctx.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit + 1);
  if (query.entityType) q = q.where('entity_type', '=', query.entityType);
  if (query.entityId) q = q.where('entity_id', '=', query.entityId);
  if (query.action) q = q.where('action', '=', query.action);
  if (query.before !== undefined) q = q.where('id', '<', query.before);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      at: r.at,
      actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name, tokenId: r.token_id },
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      data: r.data,
      requestId: r.request_id,
    })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
  };
}
