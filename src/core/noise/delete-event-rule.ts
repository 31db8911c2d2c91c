import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { auditData } from './create-event-rule.ts';
import { deleteRule, findRule, lockRuleScope, renumberRules, ruleIdsInScope } from './store.ts';

/** Deletes a rule; the rules after it move up one. Global rules need the admin permission. */
export async function deleteEventRule(ctx: Ctx, id: string): Promise<void> {
  authorize(ctx.actor, 'write');
  await ctx.db.transaction().execute(async (tx) => {
    const seen = await findRule(tx, id);
    if (!seen) throw notFound('event rule', id);
    if (seen.serviceId === null) authorize(ctx.actor, 'admin');
    await lockRuleScope(tx, seen.serviceId);
    const rule = await findRule(tx, id);
    if (!rule) throw notFound('event rule', id);
    await deleteRule(tx, id);
    await renumberRules(tx, rule.serviceId, (await ruleIdsInScope(tx, rule.serviceId)).filter((x) => x !== id));
    await writeAudit(tx, ctx, { action: 'event_rule.delete', entityType: 'event_rule', entityId: id, data: auditData(rule) });
  });
}
