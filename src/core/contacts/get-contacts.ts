import type { Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { authorizeOwn } from './access.ts';
import { type ContactMethod, type NotificationRule, type Readiness, readinessOf } from './contact.ts';
import { findMethods, findRules, toMethod, userExists } from './store.ts';

export interface Contacts {
  methods: ContactMethod[];
  rules: NotificationRule[];
  readiness: Readiness;
}

/** A person's contact methods, notification rules and whether they can be paged. */
export async function getContacts(ctx: Ctx, userId: string): Promise<Contacts> {
  authorizeOwn(ctx, userId, false);
  if (!(await userExists(ctx.db, userId))) throw notFound('user', userId);
  const methods = (await findMethods(ctx.db, [userId])).map(toMethod);
  const rules = await findRules(ctx.db, [userId]);
  return { methods, rules, readiness: readinessOf(methods, rules) };
}
