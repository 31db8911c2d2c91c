import { writeAudit } from '../shared/audit.ts';
import { actorUserId, authorize, type Ctx } from '../shared/context.ts';
import { type FieldError, notFound, validationError, forbidden } from '../shared/errors.ts';
import { updateUser } from './store.ts';
import { checkName, checkTimeZone, toUser, type User } from './user.ts';

/** Changes the acting user's own name and time zone. */
export async function updateProfile(ctx: Ctx, input: { name?: string | undefined; timeZone?: string | undefined }): Promise<User> {
  authorize(ctx.actor, 'read'); // everyone may edit their own profile, observers included
  const userId = actorUserId(ctx.actor);
  if (!userId) throw forbidden('Only a user has a profile.');
  const problems = [
    input.name === undefined ? null : checkName(input.name),
    input.timeZone === undefined ? null : checkTimeZone(input.timeZone),
  ].filter((p): p is FieldError => p !== null);
  if (problems.length) throw validationError(problems);
  return ctx.db.transaction().execute(async (tx) => {
    const set = {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
    };
    const row = await updateUser(tx, userId, set, ctx.clock.now());
    if (!row) throw notFound('user', userId);
    await writeAudit(tx, ctx, { action: 'user.update', entityType: 'user', entityId: userId, data: { ...set } });
    return toUser(row);
  });
}
