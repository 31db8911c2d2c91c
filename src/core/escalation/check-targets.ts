import type { Tx } from '../shared/context.ts';
import type { FieldError } from '../shared/errors.ts';
import { type Level, targetKey, targetRefs } from './policy.ts';
import { targetNames } from './store.ts';

/** `no such user|schedule|team` for each target (named `levels.<i>.targets.<j>.id`) that does not exist. */
export async function unknownTargets(tx: Tx, levels: Level[]): Promise<FieldError[]> {
  const refs = targetRefs(levels);
  const known = await targetNames(tx, refs.map((r) => r.target));
  return refs.filter((r) => !known.has(targetKey(r.target))).map((r) => ({ field: r.field, reason: `no such ${r.target.type}` }));
}
