import { instantOr } from '../schedules/index.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { allTargets, levelCandidates, simulate } from './next-step.ts';
import { type LevelMode, targetKey } from './policy.ts';
import { resolveTargets } from './resolve-targets.ts';
import { findPolicy, targetNames } from './store.ts';
import type { Ref, TargetView } from './views.ts';

export interface PolicyPreview {
  policyId: string;
  version: number;
  at: string;
  /** Who each level would page if it fired at `at`. */
  levels: {
    level: number;
    delayMinutes: number;
    mode: LevelMode;
    targets: (TargetView & { users: Ref[] })[];
    /** Everyone the level resolves to, once each; a round-robin level pages one of them per firing, in this order. */
    users: Ref[];
    /** True when the level resolves to nobody: escalation passes over it without waiting its delay. */
    skipped: boolean;
  }[];
  /**
   * The whole escalation if nobody acknowledged, with everyone resolving as at `at` throughout:
   * when each level would fire and whom it would page. Computed by the engine's own `nextStep`.
   */
  timeline: { at: string; level: number | null; pass: number | null; users: Ref[]; skipped: { level: number; pass: number }[] }[];
}

/** Who each level of a policy would page at `at` (default: now), and the timeline from there. */
export async function previewPolicy(ctx: Ctx, policyId: string, at?: string): Promise<PolicyPreview> {
  authorize(ctx.actor, 'read');
  const instant = instantOr(at, ctx.clock.now());
  const policy = await findPolicy(ctx.db, policyId);
  if (!policy) throw notFound('escalation policy', policyId);
  const resolved = await resolveTargets(ctx.db, allTargets(policy), instant);
  const userIds = [...new Set([...resolved.values()].flat())];
  const names = await targetNames(ctx.db, [...allTargets(policy), ...userIds.map((id) => ({ type: 'user' as const, id }))]);
  const ref = (id: string): Ref => ({ id, name: names.get(`user:${id}`) ?? '' });
  return {
    policyId,
    version: policy.version,
    at: instant.toISOString(),
    levels: policy.levels.map((l, i) => {
      const users = levelCandidates(l, resolved).map(ref);
      return {
        level: i,
        delayMinutes: l.delayMinutes,
        mode: l.mode,
        targets: l.targets.map((t) => ({ type: t.type, id: t.id, name: names.get(targetKey(t)) ?? null, users: (resolved.get(targetKey(t)) ?? []).map(ref) })),
        users,
        skipped: users.length === 0,
      };
    }),
    timeline: simulate(policy, instant, resolved).map(({ at, step }) => ({
      at: at.toISOString(),
      level: step.fired?.level ?? null,
      pass: step.fired?.pass ?? null,
      users: (step.fired?.userIds ?? []).map(ref),
      skipped: step.skipped.map(({ level, pass }) => ({ level, pass })),
    })),
  };
}
