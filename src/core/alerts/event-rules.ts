import type { FieldError } from '../shared/errors.ts';
import { checkMatchers, type Matcher, matchesAll } from './matchers.ts';
import { SEVERITIES, type Severity } from './signal.ts';

/**
 * Event rules (PagerDuty's event orchestration, reduced to what teams use): global rules run first
 * and may route an event to another service; then the final service's own rules run. In each stage
 * the first enabled rule whose matchers all match applies; later rules of that stage are skipped.
 */
export interface RuleActions {
  /** Global rules only: the event continues as if sent to this service. */
  routeToServiceId?: string;
  severity?: Severity;
  /** Record the alert, page nobody. */
  suppress?: boolean;
  /** Record the event in the log only; no alert. */
  drop?: boolean;
}

export interface EventRule {
  id: string;
  serviceId: string | null;
  name: string;
  position: number;
  matchers: Matcher[];
  actions: RuleActions;
  enabled: boolean;
}

export const firstMatchingRule = (rules: readonly EventRule[], fields: Readonly<Record<string, string>>): EventRule | undefined =>
  rules.find((r) => r.enabled && matchesAll(r.matchers, fields));

export function checkRule(rule: { serviceId: string | null; matchers: Matcher[]; actions: RuleActions }, field: string): FieldError[] {
  const problems = checkMatchers(rule.matchers, `${field}.matchers`);
  const a = rule.actions;
  if (a.routeToServiceId !== undefined && rule.serviceId !== null) {
    problems.push({ field: `${field}.actions.routeToServiceId`, reason: 'only a global rule (no serviceId) can route to another service' });
  }
  if (a.severity !== undefined && !SEVERITIES.includes(a.severity)) problems.push({ field: `${field}.actions.severity`, reason: `must be one of ${SEVERITIES.join(', ')}` });
  if (a.drop && (a.suppress || a.severity || a.routeToServiceId)) {
    problems.push({ field: `${field}.actions.drop`, reason: 'a dropping rule cannot also route, suppress or set severity' });
  }
  if (!a.drop && !a.suppress && !a.severity && !a.routeToServiceId) {
    problems.push({ field: `${field}.actions`, reason: 'needs at least one action: routeToServiceId, severity, suppress or drop' });
  }
  return problems;
}

export const describeRule = (rule: EventRule): string => `event rule "${rule.name}"`;
