import type { Tx } from '../shared/context.ts';
import { type Readiness, readinessOf } from './contact.ts';
import { findMethods, findRules, toMethod } from './store.ts';

/** Whether each of these people can be paged (no addresses): for the on-call readiness list. */
export async function contactsOf(tx: Tx, userIds: readonly string[]): Promise<Map<string, Readiness>> {
  const methods = (await findMethods(tx, userIds)).map(toMethod);
  const rules = await findRules(tx, userIds);
  return new Map(
    userIds.map((id) => [
      id,
      readinessOf(
        methods.filter((m) => m.userId === id),
        rules.filter((r) => r.userId === id),
      ),
    ]),
  );
}
