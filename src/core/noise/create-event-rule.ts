import type { Matcher, RuleActions } from '../alerts/index.ts';
import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx, type Tx } from '../shared/context.ts';
import { DomainError, validationError } from '../shared/errors.ts';
import { checkEventRule, type EventRuleView, MAX_RULES_PER_SCOPE, placeAt, type RuleDraft, toActions } from './noise.ts';
import { findRule, findServiceName, insertRule, lockRuleScope, renumberRules, ruleIdsInScope } from './store.ts';

export interface CreateEventRuleInput {
  name: string;
  /** Null: a global rule, run on every event before the service's own rules (admins only). */
  serviceId: string | null;
  matchers: Matcher[];
  actions: RuleActions;
  enabled?: boolean | undefined;
  /** 1-based place in its scope; the rules from there on move down one. Default: last. */
  position?: number | undefined;
}

/**
 * Adds an event rule. A global rule touches every service's alerts and may route between them, so
 * it needs the admin permission; a service's own rule needs write.
 */
export async function createEventRule(ctx: Ctx, input: CreateEventRuleInput): Promise<EventRuleView> {
  authorize(ctx.actor, input.serviceId === null ? 'admin' : 'write');
  const draft: RuleDraft = { serviceId: input.serviceId, name: input.name.trim(), matchers: input.matchers, actions: toActions(input.actions) };
  const problems = checkEventRule(draft);
  if (problems.length) throw validationError(problems);
  return ctx.db.transaction().execute(async (tx) => {
    if (draft.serviceId !== null && !(await findServiceName(tx, draft.serviceId))) throw validationError([{ field: 'serviceId', reason: 'no such service' }]);
    await checkRoute(tx, draft);
    await lockRuleScope(tx, draft.serviceId);
    const ids = await ruleIdsInScope(tx, draft.serviceId);
    if (ids.length >= MAX_RULES_PER_SCOPE) {
      throw new DomainError('LIMIT_EXCEEDED', `At most ${MAX_RULES_PER_SCOPE} event rules per scope (the global rules, or one service's).`, { limit: MAX_RULES_PER_SCOPE });
    }
    const now = ctx.clock.now();
    const { id } = await insertRule(tx, { ...draft, position: ids.length + 1, enabled: input.enabled ?? true, now });
    await renumberRules(tx, draft.serviceId, placeAt(ids, id, input.position));
    const rule = (await findRule(tx, id))!;
    await writeAudit(tx, ctx, { action: 'event_rule.create', entityType: 'event_rule', entityId: id, data: auditData(rule) });
    return rule;
  });
}

/** A route must name a service that exists (checkRule has already refused routes on service rules). */
export async function checkRoute(tx: Tx, draft: RuleDraft): Promise<void> {
  const to = draft.actions.routeToServiceId;
  if (to !== undefined && !(await findServiceName(tx, to))) throw validationError([{ field: 'actions.routeToServiceId', reason: 'no such service' }]);
}

export const auditData = (r: EventRuleView): Record<string, unknown> => ({
  serviceId: r.serviceId,
  name: r.name,
  position: r.position,
  matchers: r.matchers,
  actions: r.actions,
  enabled: r.enabled,
});
