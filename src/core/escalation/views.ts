import type { Tx } from '../shared/context.ts';
import { type LevelMode, type Policy, type TargetType, targetKey } from './policy.ts';
import { servicesUsing, targetNames } from './store.ts';

// What the verbs answer: every target and service named, never a bare id alone.

export interface Ref {
  id: string;
  name: string;
}

export interface TargetView {
  type: TargetType;
  id: string;
  /** null: the target no longer exists (a schedule or team deleted since); it resolves to nobody. */
  name: string | null;
}

export interface LevelView {
  delayMinutes: number;
  mode: LevelMode;
  targets: TargetView[];
}

export interface PolicyView {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  repeat: number;
  ackTimeoutMinutes: number | null;
  version: number;
  levels: LevelView[];
  /** The services that page through this policy. */
  services: Ref[];
  createdAt: Date;
  updatedAt: Date;
}

/** Views of policies: four queries, however many policies. */
export async function policyViews(tx: Tx, policies: Policy[]): Promise<PolicyView[]> {
  const names = await targetNames(tx, policies.flatMap((p) => p.levels.flatMap((l) => l.targets)));
  const services = await servicesUsing(tx, policies.map((p) => p.id));
  return policies.map((p) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    teamId: p.teamId,
    repeat: p.repeat,
    ackTimeoutMinutes: p.ackTimeoutMinutes ?? null,
    version: p.version,
    levels: p.levels.map((l) => ({
      delayMinutes: l.delayMinutes,
      mode: l.mode,
      targets: l.targets.map((t) => ({ type: t.type, id: t.id, name: names.get(targetKey(t)) ?? null })),
    })),
    services: services.get(p.id) ?? [],
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  }));
}

export const policyView = async (tx: Tx, policy: Policy): Promise<PolicyView> => (await policyViews(tx, [policy]))[0]!;
