import { actorUserId, authorize, type Ctx } from '../shared/context.ts';
import { type ApiToken, toApiToken } from './api-token.ts';
import { listApiTokensOfUser } from './store.ts';

/** The acting user's live tokens, neither revoked nor expired (never their secrets). */
export async function listApiTokens(ctx: Ctx): Promise<ApiToken[]> {
  authorize(ctx.actor, 'read');
  const userId = actorUserId(ctx.actor);
  if (!userId) return [];
  return (await listApiTokensOfUser(ctx.db, userId, ctx.clock.now())).map(toApiToken);
}
