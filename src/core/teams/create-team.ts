import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { conflict, type FieldError, validationError } from '../shared/errors.ts';
import { checkName } from '../users/index.ts';
import { findTeamByName, insertTeam, type Team } from './store.ts';

/** A team owns services (and, later, schedules and escalation policies). Admins only. */
export async function createTeam(ctx: Ctx, input: { name: string; description?: string | undefined }): Promise<Team> {
  authorize(ctx.actor, 'admin');
  const description = (input.description ?? '').trim();
  const problems = [checkName(input.name), description.length > 2000 ? { field: 'description', reason: 'must be at most 2000 characters' } : null].filter(
    (p): p is FieldError => p !== null,
  );
  if (problems.length) throw validationError(problems);
  return ctx.db.transaction().execute(async (tx) => {
    if (await findTeamByName(tx, input.name.trim())) {
      throw conflict(`A team named "${input.name.trim()}" already exists.`, { fields: [{ field: 'name', reason: 'is already in use' }] });
    }
    const team = await insertTeam(tx, { name: input.name.trim(), description, created_at: ctx.clock.now() });
    await writeAudit(tx, ctx, { action: 'team.create', entityType: 'team', entityId: team.id, data: { name: team.name } });
    return team;
  });
}
