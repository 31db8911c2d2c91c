import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { conflict, type FieldError, validationError } from '../shared/errors.ts';
import { findTeamById } from '../teams/index.ts';
import { checkName } from '../users/index.ts';
import { checkDescription, checkRunbookUrl, newIntegrationKey, type Service } from './service.ts';
import { findService, findServiceIdByName, insertIntegrationKey, insertService } from './store.ts';

export interface CreateServiceInput {
  name: string;
  description?: string | undefined;
  teamId?: string | null | undefined;
  runbookUrl?: string | null | undefined;
}

/** Creates a service with one integration key named "default", ready to receive alerts. */
export async function createService(ctx: Ctx, input: CreateServiceInput): Promise<Service> {
  authorize(ctx.actor, 'write');
  const name = input.name.trim();
  const description = (input.description ?? '').trim();
  const runbookUrl = input.runbookUrl?.trim() || null;
  const problems = [checkName(input.name), checkDescription(description), runbookUrl ? checkRunbookUrl(runbookUrl) : null].filter(
    (p): p is FieldError => p !== null,
  );
  if (problems.length) throw validationError(problems);

  return ctx.db.transaction().execute(async (tx) => {
    if (input.teamId && !(await findTeamById(tx, input.teamId))) {
      throw validationError([{ field: 'teamId', reason: 'no such team' }]);
    }
    if (await findServiceIdByName(tx, name)) {
      throw conflict(`A service named "${name}" already exists.`, { fields: [{ field: 'name', reason: 'is already in use' }] });
    }
    const now = ctx.clock.now();
    const { id } = await insertService(tx, { name, description, team_id: input.teamId ?? null, runbook_url: runbookUrl, now });
    const key = await insertIntegrationKey(tx, { service_id: id, key: newIntegrationKey(), name: 'default', created_at: now });
    await writeAudit(tx, ctx, { action: 'service.create', entityType: 'service', entityId: id, data: { name, integrationKeyId: key.id } });
    return (await findService(tx, id, true))!;
  });
}
