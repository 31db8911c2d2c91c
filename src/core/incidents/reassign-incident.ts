import { retriggerIncidentAlerts } from '../alerts/index.ts';
import { type DeliveryLog, deliveryLogOf, type PolicySnapshot, reassignmentSnapshot, restartEscalation, snapshotPolicy } from '../escalation/index.ts';
import { writeAudit } from '../shared/audit.ts';
import { recordIncidentEvents } from '../webhooks/index.ts';
import { actorUserId, authorize, type Ctx } from '../shared/context.ts';
import { DomainError, validationError } from '../shared/errors.ts';
import { findIncidentByRef } from './change-incident.ts';
import { findEscalationPolicy, findUserNames, lockIncident } from './store.ts';

export const MAX_REASSIGN_USERS = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ReassignInput {
  /** People to page instead (one level, re-paged twice 5 minutes apart until acknowledged). */
  userIds?: string[] | undefined;
  /** Or a policy to escalate through instead, from its first level, on a snapshot taken now. */
  policyId?: string | undefined;
}

/**
 * A person hands an open incident to other people or another policy: the escalation starts again
 * on the new target from its first level (its queued pages to the earlier people are cancelled,
 * the new pages get keys of their own), and an acknowledged incident goes back to triggered, since
 * the new people have not acknowledged it. Resolved incidents are PRECONDITION_FAILED. Audited as
 * `incident.reassign`.
 */
export async function reassignIncident(ctx: Ctx, ref: string, input: ReassignInput): Promise<DeliveryLog> {
  authorize(ctx.actor, 'write');
  const { userIds, policyId } = input;
  if ((userIds === undefined) === (policyId === undefined)) {
    throw validationError([{ field: 'body', reason: 'give either userIds or policyId' }]);
  }
  if (userIds !== undefined) {
    if (userIds.length === 0 || userIds.length > MAX_REASSIGN_USERS) throw validationError([{ field: 'body.userIds', reason: `must list 1 to ${MAX_REASSIGN_USERS} users` }]);
    const bad = userIds.findIndex((id) => !UUID.test(id));
    if (bad >= 0) throw validationError([{ field: `body.userIds.${bad}`, reason: 'must be a uuid' }]);
  }
  if (policyId !== undefined && !UUID.test(policyId)) throw validationError([{ field: 'body.policyId', reason: 'must be a uuid' }]);

  return ctx.db.transaction().execute(async (tx) => {
    const found = await findIncidentByRef(tx, ref);
    const now = ctx.clock.now();
    const by = actorUserId(ctx.actor) ?? (ctx.actor.type === 'system' ? ctx.actor.name : ctx.actor.id);
    let snapshot: PolicySnapshot | null;
    let to: string;
    if (userIds) {
      const ids = [...new Set(userIds.map((id) => id.toLowerCase()))];
      const names = await findUserNames(tx, ids);
      const missing = userIds.findIndex((id) => !names.has(id.toLowerCase()));
      if (missing >= 0) throw validationError([{ field: `body.userIds.${missing}`, reason: 'no such user' }]);
      const current = (await findEscalationPolicy(tx, found.id)) as PolicySnapshot | null;
      snapshot = reassignmentSnapshot(ids, ids.map((id) => names.get(id)!), now, current?.ackTimeoutMinutes ?? null);
      to = snapshot.name.replace(/^Reassigned to /, '');
    } else {
      snapshot = await snapshotPolicy(tx, policyId!, now);
      if (!snapshot) throw validationError([{ field: 'body.policyId', reason: 'no such escalation policy' }]);
      to = `policy ${snapshot.name}`;
    }
    // Alerts lock before their incident: putting an acknowledged incident back to triggered locks
    // its alerts, then the incident; the lock below then holds it against a concurrent step.
    if (found.status === 'acknowledged' && found.acknowledgedAt) {
      await retriggerIncidentAlerts(tx, ctx, found.id, found.acknowledgedAt, `reassigned to ${to} by ${ctx.actor.type === 'token' ? ctx.actor.userName : ctx.actor.name}: triggered again`);
    }
    const incident = await lockIncident(tx, found.id);
    if (incident.status !== 'triggered') {
      throw new DomainError('PRECONDITION_FAILED', `Incident #${incident.number} is ${incident.status}; only an open incident can be reassigned.`, { status: incident.status });
    }
    await restartEscalation(tx, incident.id, now, { reason: 'reassigned', by, to }, snapshot);
    await recordIncidentEvents(tx, now, [
      { type: 'incident.reassigned', incidentId: incident.id, data: { by, to, ...(userIds ? { userIds: snapshot.levels[0]!.targets.map((t) => t.id) } : { policyId }), previousStatus: found.status } },
    ]);
    await writeAudit(tx, ctx, {
      action: 'incident.reassign',
      entityType: 'incident',
      entityId: incident.id,
      data: { number: incident.number, ...(userIds ? { userIds: snapshot.levels[0]!.targets.map((t) => t.id) } : { policyId, version: snapshot.version }), previousStatus: found.status },
    });
    return deliveryLogOf(tx, incident.id);
  });
}
