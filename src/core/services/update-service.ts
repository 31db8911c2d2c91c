import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { conflict, type FieldError, notFound, validationError } from '../shared/errors.ts';
import { findTeamById } from '../teams/index.ts';
import { checkName } from '../users/index.ts';
import type { CreateServiceInput } from './create-service.ts';
import { checkDescription, checkRunbookUrl, type Service } from './service.ts';
import { findService, findServiceIdByName, lockService, updateService as writeService } from './store.ts';

/** Changes the fields given; `null` clears the team or the runbook link. */
export async function updateService(ctx: Ctx, id: string, input: Partial<CreateServiceInput>): Promise<Service> {
  authorize(ctx.actor, 'write');
  const set: { name?: string; description?: string; team_id?: string | null; runbook_url?: string | null } = {};
  const problems: (FieldError | null)[] = [];
  if (input.name !== undefined) {
    problems.push(checkName(input.name));
    set.name = input.name.trim();
  }
  if (input.description !== undefined) {
    set.description = input.description.trim();
    problems.push(checkDescription(set.description));
  }
  if (input.runbookUrl !== undefined) {
    set.runbook_url = input.runbookUrl?.trim() || null;
    if (set.runbook_url) problems.push(checkRunbookUrl(set.runbook_url));
  }
  if (input.teamId !== undefined) set.team_id = input.teamId;
  const fieldErrors = problems.filter((p): p is FieldError => p !== null);
  if (fieldErrors.length) throw validationError(fieldErrors);

  return ctx.db.transaction().execute(async (tx) => {
    if (!(await lockService(tx, id))) throw notFound('service', id);
    if (set.team_id && !(await findTeamById(tx, set.team_id))) throw validationError([{ field: 'teamId', reason: 'no such team' }]);
    if (set.name && (await findServiceIdByName(tx, set.name, id))) {
      throw conflict(`A service named "${set.name}" already exists.`, { fields: [{ field: 'name', reason: 'is already in use' }] });
    }
    await writeService(tx, id, set, ctx.clock.now());
    await writeAudit(tx, ctx, { action: 'service.update', entityType: 'service', entityId: id, data: { ...set } });
    return (await findService(tx, id, true))!;
  });
}
