import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { conflict, validationError } from '../shared/errors.ts';
import { findTeamById } from '../teams/index.ts';
import { unknownTargets } from './check-targets.ts';
import { checkPolicy, type Level, type LevelMode, normalizeLevels } from './policy.ts';
import { findPolicy, findPolicyIdByName, insertPolicy } from './store.ts';
import { type PolicyView, policyView } from './views.ts';

/** A level as a client writes it: `mode` defaults to `all`. */
export type LevelInput = Omit<Level, 'mode'> & { mode?: LevelMode | undefined };

export interface CreatePolicyInput {
  name: string;
  description?: string | undefined;
  teamId?: string | null | undefined;
  repeat?: number | undefined;
  ackTimeoutMinutes?: number | null | undefined;
  levels: LevelInput[];
}

export const completeLevels = (levels: LevelInput[]): Level[] => levels.map((l) => ({ ...l, mode: l.mode ?? 'all' }));

/** Creates a policy; every target must exist (a user, a schedule or a team). */
export async function createPolicy(ctx: Ctx, input: CreatePolicyInput): Promise<PolicyView> {
  authorize(ctx.actor, 'write');
  const now = ctx.clock.now();
  const name = input.name.trim();
  const description = (input.description ?? '').trim();
  const repeat = input.repeat ?? 0;
  const ackTimeoutMinutes = input.ackTimeoutMinutes ?? null;
  const rawLevels = Array.isArray(input.levels) ? completeLevels(input.levels) : input.levels;
  const problems = checkPolicy({ name: input.name, description, repeat, ackTimeoutMinutes, levels: rawLevels });
  if (problems.length) throw validationError(problems);
  const levels = normalizeLevels(rawLevels);

  return ctx.db.transaction().execute(async (tx) => {
    const missing = await unknownTargets(tx, levels);
    if (input.teamId && !(await findTeamById(tx, input.teamId))) missing.push({ field: 'teamId', reason: 'no such team' });
    if (missing.length) throw validationError(missing);
    if (await findPolicyIdByName(tx, name)) {
      throw conflict(`An escalation policy named "${name}" already exists.`, { fields: [{ field: 'name', reason: 'is already in use' }] });
    }
    const { id } = await insertPolicy(tx, { name, description, teamId: input.teamId ?? null, repeat, ackTimeoutMinutes, levels, now });
    await writeAudit(tx, ctx, { action: 'escalation-policy.create', entityType: 'escalation-policy', entityId: id, data: { name, teamId: input.teamId ?? null, repeat, ackTimeoutMinutes, levels } });
    return policyView(tx, (await findPolicy(tx, id))!);
  });
}
