import { authorize, type Ctx } from '../shared/context.ts';
import { listUsers as selectUsers } from './store.ts';
import { toUser, type User } from './user.ts';

/** Everyone who can be paged, by name. Any signed-in actor may read it. */
export async function listUsers(ctx: Ctx): Promise<User[]> {
  authorize(ctx.actor, 'read');
  return ctx.db.transaction().execute(async (tx) => (await selectUsers(tx)).map(toUser));
}
