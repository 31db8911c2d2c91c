import { writeAudit } from '../shared/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { conflict, DomainError, type FieldError, notFound, validationError } from '../shared/errors.ts';
import { authorizeOwn } from './access.ts';
import { checkDelay, MAX_RULES_PER_USER, type NotificationRule } from './contact.ts';
import { deleteRule, findRules, insertRule, lockMethod } from './store.ts';

export interface AddNotificationRuleInput {
  contactMethodId: string;
  urgency: 'high' | 'low';
  delayMinutes: number;
}

/** "For high urgency, email me at once and call my webhook after 2 minutes": one rule a step. */
export async function addNotificationRule(ctx: Ctx, userId: string, input: AddNotificationRuleInput): Promise<NotificationRule> {
  authorizeOwn(ctx, userId, true);
  const problems: FieldError[] = [];
  if (input.urgency !== 'high' && input.urgency !== 'low') problems.push({ field: 'urgency', reason: 'must be high or low' });
  const delay = checkDelay(input.delayMinutes);
  if (delay) problems.push(delay);
  if (problems.length) throw validationError(problems);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    if (!(await lockMethod(tx, userId, input.contactMethodId))) throw validationError([{ field: 'contactMethodId', reason: 'is not a contact method of this person' }]);
    const rules = await findRules(tx, [userId]);
    if (rules.length >= MAX_RULES_PER_USER) throw new DomainError('LIMIT_EXCEEDED', `A person has at most ${MAX_RULES_PER_USER} notification rules.`);
    if (rules.some((r) => r.contactMethodId === input.contactMethodId && r.urgency === input.urgency && r.delayMinutes === input.delayMinutes)) {
      throw conflict('This notification rule exists already.');
    }
    const rule = await insertRule(tx, { userId, ...input, now });
    await writeAudit(tx, ctx, { action: 'notification_rule.create', entityType: 'user', entityId: userId, data: { ruleId: rule.id, ...input } });
    return rule;
  });
}

export async function deleteNotificationRule(ctx: Ctx, userId: string, ruleId: string): Promise<void> {
  authorizeOwn(ctx, userId, true);
  await ctx.db.transaction().execute(async (tx) => {
    const gone = await deleteRule(tx, userId, ruleId);
    if (!gone) throw notFound('notification rule', ruleId);
    await writeAudit(tx, ctx, { action: 'notification_rule.delete', entityType: 'user', entityId: userId, data: { ruleId } });
  });
}
