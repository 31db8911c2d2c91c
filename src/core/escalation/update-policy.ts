import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { conflict, type FieldError, notFound, validationError } from '../shared/errors.ts';
import { findTeamById } from '../teams/index.ts';
import { unknownTargets } from './check-targets.ts';
import { completeLevels, type CreatePolicyInput } from './create-policy.ts';
import { checkAckTimeout, checkDescription, checkLevels, checkName, checkRepeat, type Level, normalizeLevels } from './policy.ts';
import { findPolicy, findPolicyIdByName, lockPolicy, updatePolicy as writePolicy } from './store.ts';
import { type PolicyView, policyView } from './views.ts';

/**
 * Changes the fields given; `levels` replaces the whole list. The edit applies to escalations that
 * start from now on: those already running keep the snapshot they started with
 * (docs/escalation.md, "Editing a policy").
 */
export async function updatePolicy(ctx: Ctx, id: string, input: Partial<CreatePolicyInput>): Promise<PolicyView> {
  authorize(ctx.actor, 'write');
  const now = ctx.clock.now();
  const set: { name?: string; description?: string; team_id?: string | null; repeat?: number; ack_timeout_minutes?: number | null; levels?: Level[] } = {};
  const problems: FieldError[] = [];
  const push = (p: FieldError | null) => p && problems.push(p);
  if (input.name !== undefined) {
    push(checkName(input.name));
    set.name = input.name.trim();
  }
  if (input.description !== undefined) {
    set.description = input.description.trim();
    push(checkDescription(set.description));
  }
  if (input.repeat !== undefined) {
    push(checkRepeat(input.repeat));
    set.repeat = input.repeat;
  }
  if (input.ackTimeoutMinutes !== undefined) {
    push(checkAckTimeout(input.ackTimeoutMinutes));
    set.ack_timeout_minutes = input.ackTimeoutMinutes;
  }
  if (input.teamId !== undefined) set.team_id = input.teamId;
  if (input.levels !== undefined) {
    const levels = Array.isArray(input.levels) ? completeLevels(input.levels) : input.levels;
    const found = checkLevels(levels);
    problems.push(...found);
    if (found.length === 0) set.levels = normalizeLevels(levels);
  }
  if (problems.length) throw validationError(problems);

  return ctx.db.transaction().execute(async (tx) => {
    const current = await lockPolicy(tx, id);
    if (!current) throw notFound('escalation policy', id);
    const missing = set.levels ? await unknownTargets(tx, set.levels) : [];
    if (set.team_id && !(await findTeamById(tx, set.team_id))) missing.push({ field: 'teamId', reason: 'no such team' });
    if (missing.length) throw validationError(missing);
    if (set.name !== undefined && (await findPolicyIdByName(tx, set.name, id))) {
      throw conflict(`An escalation policy named "${set.name}" already exists.`, { fields: [{ field: 'name', reason: 'is already in use' }] });
    }
    await writePolicy(tx, id, set, now);
    const updated = (await findPolicy(tx, id))!;
    await writeAudit(tx, ctx, {
      action: 'escalation-policy.update',
      entityType: 'escalation-policy',
      entityId: id,
      data: { ...input, ...(set.levels ? { levels: set.levels } : {}), version: updated.version },
    });
    return policyView(tx, updated);
  });
}
