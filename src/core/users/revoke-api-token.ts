import { writeAudit } from '../shared/audit.ts';
import { actorUserId, authorize, can, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { findApiToken, revokeApiToken as markRevoked } from './store.ts';

/** Revokes a token at once. Users revoke their own; admins may revoke anyone's. */
export async function revokeApiToken(ctx: Ctx, tokenId: string): Promise<void> {
  authorize(ctx.actor, 'read');
  await ctx.db.transaction().execute(async (tx) => {
    const token = await findApiToken(tx, tokenId);
    // Someone else's token reads as "not found" to a non-admin: its existence is not theirs to learn.
    if (!token || token.revoked_at || (token.user_id !== actorUserId(ctx.actor) && !can(ctx.actor, 'admin'))) {
      throw notFound('API token', tokenId);
    }
    await markRevoked(tx, tokenId, ctx.clock.now());
    await writeAudit(tx, ctx, { action: 'api_token.revoke', entityType: 'api_token', entityId: tokenId, data: { name: token.name } });
  });
}
