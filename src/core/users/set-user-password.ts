import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { checkPassword, hashPassword } from './password.ts';
import { deleteSessionsOfUser, findUserById, updateUser } from './store.ts';

/**
 * An admin sets someone's password: for a user created without one, or one who forgot theirs.
 * Their existing sessions end, so whoever held the old password is signed out.
 */
export async function setUserPassword(ctx: Ctx, userId: string, password: string): Promise<void> {
  authorize(ctx.actor, 'admin');
  const problem = checkPassword(password);
  if (problem) throw validationError([problem]);
  const passwordHash = await hashPassword(password);
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await findUserById(tx, userId))) throw notFound('user', userId);
    await updateUser(tx, userId, { password_hash: passwordHash }, ctx.clock.now());
    await deleteSessionsOfUser(tx, userId);
    await writeAudit(tx, ctx, { action: 'user.set_password', entityType: 'user', entityId: userId });
  });
}
