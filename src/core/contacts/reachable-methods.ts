import type { ContactType } from '../../storage/schema.ts';
import type { Tx } from '../shared/context.ts';
import { findMethods, findRules } from './store.ts';

export interface ReachableMethod {
  id: string;
  type: ContactType;
  address: string;
}

/**
 * The verified methods a person's rules use for an urgency, each once, in rule order: where a
 * message of that urgency goes when it is not a timed page (a notice uses the low-urgency ones).
 */
export async function reachableMethods(tx: Tx, userId: string, urgency: 'high' | 'low'): Promise<ReachableMethod[]> {
  const methods = new Map((await findMethods(tx, [userId])).filter((m) => m.verified_at !== null).map((m) => [m.id, m]));
  const out: ReachableMethod[] = [];
  for (const rule of await findRules(tx, [userId])) {
    const m = methods.get(rule.contactMethodId);
    if (rule.urgency !== urgency || !m || out.some((o) => o.id === m.id)) continue;
    out.push({ id: m.id, type: m.type, address: m.address });
  }
  return out;
}
