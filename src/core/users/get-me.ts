import { actorUserId, type Ctx } from '../shared/context.ts';
import { notFound, unauthorized } from '../shared/errors.ts';
import { findUserById } from './store.ts';
import { toUser, type User } from './user.ts';

/** The user behind the acting session or token. */
export async function getMe(ctx: Ctx): Promise<User> {
  const userId = actorUserId(ctx.actor);
  if (!userId) throw unauthorized();
  const row = await findUserById(ctx.db, userId);
  if (!row) throw notFound('user', userId);
  return toUser(row);
}
