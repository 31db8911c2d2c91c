import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { deleteTeamMember, findTeamById, insertTeamMember } from './store.ts';

/** Puts a user on a team (admins). Idempotent: adding a member twice is not an error. */
export async function addTeamMember(ctx: Ctx, teamId: string, userId: string): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await findTeamById(tx, teamId))) throw notFound('team', teamId);
    if (!(await tx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst())) {
      throw validationError([{ field: 'userId', reason: 'no such user' }]);
    }
    if (await insertTeamMember(tx, teamId, userId)) {
      await writeAudit(tx, ctx, { action: 'team.add_member', entityType: 'team', entityId: teamId, data: { userId } });
    }
  });
}

/** Takes a user off a team (admins). */
export async function removeTeamMember(ctx: Ctx, teamId: string, userId: string): Promise<void> {
  authorize(ctx.actor, 'admin');
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await deleteTeamMember(tx, teamId, userId))) throw notFound('team member', userId);
    await writeAudit(tx, ctx, { action: 'team.remove_member', entityType: 'team', entityId: teamId, data: { userId } });
  });
}
