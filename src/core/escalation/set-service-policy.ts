import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { lockServicePolicy, sharePolicy, setServicePolicy as writeServicePolicy } from './store.ts';
import type { Ref } from './views.ts';

export interface ServicePolicy {
  serviceId: string;
  /** null: the service pages nobody. */
  policy: Ref | null;
}

/** Points a service at a policy (or at none: null). Its next escalations start from that policy. */
export async function setServicePolicy(ctx: Ctx, serviceId: string, policyId: string | null): Promise<ServicePolicy> {
  authorize(ctx.actor, 'write');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const service = await lockServicePolicy(tx, serviceId);
    if (!service) throw notFound('service', serviceId);
    // Share-locked: a delete running at the same time either sees this service (and refuses) or
    // commits first, and then the policy is not found here.
    const policy = policyId === null ? null : await sharePolicy(tx, policyId);
    if (policy === undefined) throw validationError([{ field: 'policyId', reason: 'no such escalation policy' }]);
    await writeServicePolicy(tx, serviceId, policy?.id ?? null, now);
    await writeAudit(tx, ctx, {
      action: 'service.set-escalation-policy',
      entityType: 'service',
      entityId: serviceId,
      data: { name: service.name, policyId: policy?.id ?? null, previousPolicyId: service.escalation_policy_id },
    });
    return { serviceId, policy: policy ? { id: policy.id, name: policy.name } : null };
  });
}
