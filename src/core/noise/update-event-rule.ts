import type { Matcher, RuleActions } from '../alerts/index.ts';
import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { auditData, checkRoute } from './create-event-rule.ts';
import { checkEventRule, type EventRuleView, placeAt, type RuleDraft, toActions } from './noise.ts';
import { findRule, lockRuleScope, renumberRules, ruleIdsInScope, updateRule } from './store.ts';

export interface UpdateEventRuleInput {
  name?: string | undefined;
  matchers?: Matcher[] | undefined;
  /** Replaces the actions as a whole. */
  actions?: RuleActions | undefined;
  enabled?: boolean | undefined;
  /** Moves the rule to this 1-based place in its scope; the rules between shift by one. */
  position?: number | undefined;
}

/** Changes a rule, or reorders it. Its scope (global or a service) is fixed at creation. */
export async function updateEventRule(ctx: Ctx, id: string, input: UpdateEventRuleInput): Promise<EventRuleView> {
  authorize(ctx.actor, 'write');
  return ctx.db.transaction().execute(async (tx) => {
    const seen = await findRule(tx, id);
    if (!seen) throw notFound('event rule', id);
    if (seen.serviceId === null) authorize(ctx.actor, 'admin');
    // Every change to a scope's rules holds its lock (taken before any row), so reading after it is current.
    await lockRuleScope(tx, seen.serviceId);
    const before = await findRule(tx, id);
    if (!before) throw notFound('event rule', id);
    const draft: RuleDraft = {
      serviceId: before.serviceId,
      name: (input.name ?? before.name).trim(),
      matchers: input.matchers ?? before.matchers,
      actions: input.actions ? toActions(input.actions) : before.actions,
    };
    const problems = checkEventRule(draft);
    if (problems.length) throw validationError(problems);
    await checkRoute(tx, draft);
    await updateRule(tx, id, { ...draft, enabled: input.enabled ?? before.enabled }, ctx.clock.now());
    if (input.position !== undefined) await renumberRules(tx, before.serviceId, placeAt(await ruleIdsInScope(tx, before.serviceId), id, input.position));
    const after = (await findRule(tx, id))!;
    await writeAudit(tx, ctx, { action: 'event_rule.update', entityType: 'event_rule', entityId: id, data: { before: auditData(before), after: auditData(after) } });
    return after;
  });
}
