import { loadSchedule, onCallAt } from '../schedules/index.ts';
import type { Tx } from '../shared/context.ts';
import { isDomainError } from '../shared/errors.ts';
import { listTeamMembers } from '../teams/index.ts';
import type { Resolved } from './next-step.ts';
import { type Target, targetKey } from './policy.ts';

/**
 * Who each target resolves to at `at`, for `nextStep`: a user is themselves; a schedule is whoever
 * is on call at `at` (the schedules calculator, the same one its API shows); a team is its members
 * by name. A schedule or team deleted since resolves to nobody, so its level is skipped.
 */
export async function resolveTargets(tx: Tx, targets: Target[], at: Date): Promise<Resolved> {
  const out = new Map<string, string[]>();
  const until = new Date(at.getTime() + 1);
  // One after another: a transaction is one connection.
  for (const t of targets) {
    const key = targetKey(t);
    if (out.has(key)) continue;
    if (t.type === 'user') out.set(key, [t.id]);
    else if (t.type === 'team') out.set(key, (await listTeamMembers(tx, t.id)).map((m) => m.id));
    else out.set(key, await onCallIds(tx, t.id, at, until));
  }
  return out;
}

async function onCallIds(tx: Tx, scheduleId: string, at: Date, until: Date): Promise<string[]> {
  try {
    const { schedule } = await loadSchedule(tx, scheduleId, at, until);
    return [...new Set(onCallAt(schedule, at).map((o) => o.userId))];
  } catch (e) {
    if (isDomainError(e) && e.code === 'NOT_FOUND') return [];
    throw e;
  }
}
