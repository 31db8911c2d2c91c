import type { Tx } from '../shared/context.ts';
import { type PolicySnapshot, snapshotOf } from './policy.ts';
import { findPolicy, findServicePolicyId } from './store.ts';

/**
 * The snapshot an escalation of `serviceId` starts with at `at`: a frozen copy of the policy the
 * service points at, or null when it points at none (it pages nobody). The caller stores it with
 * the incident's escalation state and runs every later step on it, never on the live policy.
 */
export async function snapshotForService(tx: Tx, serviceId: string, at: Date): Promise<PolicySnapshot | null> {
  const service = await findServicePolicyId(tx, serviceId);
  if (!service?.escalation_policy_id) return null;
  return snapshotPolicy(tx, service.escalation_policy_id, at);
}

/** A frozen copy of the policy as it is now; null when there is no such policy. */
export async function snapshotPolicy(tx: Tx, policyId: string, at: Date): Promise<PolicySnapshot | null> {
  const policy = await findPolicy(tx, policyId);
  return policy ? snapshotOf(policy, at) : null;
}
