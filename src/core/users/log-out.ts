import type { Ctx } from '../shared/context.ts';
import { hashSecret } from '../shared/secrets.ts';
import { deleteSession } from './store.ts';

/** Ends one web session. Deleting a session that is already gone is not an error. */
export async function logOut(ctx: Ctx, sessionToken: string): Promise<void> {
  await ctx.db.transaction().execute((tx) => deleteSession(tx, hashSecret(sessionToken)));
}
