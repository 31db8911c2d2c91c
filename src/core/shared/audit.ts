import type { Ctx, Tx } from './context.ts';

export interface AuditEntry {
  /** `entity.verb`, e.g. `service.create`. */
  action: string;
  entityType: string;
  entityId: string | null;
  data?: Record<string, unknown>;
}

/** Appends one audit row inside the mutation's own transaction: no mutation without its record. */
export async function writeAudit(tx: Tx, ctx: Ctx, entry: AuditEntry): Promise<void> {
  const { actor } = ctx;
  await tx
    .insertInto('audit_log')
    .values({
      at: ctx.clock.now(),
      actor_type: actor.type,
      // The accountable person: a token's owner, with the token named beside.
      actor_id: actor.type === 'system' ? null : actor.type === 'token' ? actor.userId : actor.id,
      actor_name: actor.type === 'token' ? actor.userName : actor.name,
      token_id: actor.type === 'token' ? actor.id : null,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      data: JSON.stringify(entry.data ?? {}),
      request_id: ctx.requestId ?? null,
    })
    .execute();
}
