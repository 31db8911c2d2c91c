import { writeAudit } from '../shared/audit.ts';
import { actorUserId, type Ctx } from '../shared/context.ts';
import { forbidden, notFound, validationError } from '../shared/errors.ts';
import { hashSecret } from '../shared/secrets.ts';
import { checkPassword, hashPassword, verifyPassword } from './password.ts';
import { deleteSessionsOfUser, findUserById, updateUser } from './store.ts';

/**
 * Sets a new password after proving the current one, and signs out every other session:
 * someone who knew the old password must not stay logged in.
 */
export async function changePassword(
  ctx: Ctx,
  input: { currentPassword: string; newPassword: string; keepSessionToken?: string | undefined },
): Promise<void> {
  const userId = actorUserId(ctx.actor);
  if (!userId || ctx.actor.type !== 'user') throw forbidden('Passwords are changed from a signed-in session, not with an API token.');
  const problem = checkPassword(input.newPassword, 'newPassword');
  if (problem) throw validationError([problem]);
  const user = await ctx.db.transaction().execute((tx) => findUserById(tx, userId));
  if (!user) throw notFound('user', userId);
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw validationError([{ field: 'currentPassword', reason: 'is not your current password' }]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (tx) => {
    await updateUser(tx, userId, { password_hash: passwordHash }, ctx.clock.now());
    await deleteSessionsOfUser(tx, userId, input.keepSessionToken ? hashSecret(input.keepSessionToken) : undefined);
    await writeAudit(tx, ctx, { action: 'user.change_password', entityType: 'user', entityId: userId });
  });
}
