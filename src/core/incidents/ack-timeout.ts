import { defineFamily, type Job } from '../../engine/index.ts';
import { retriggerIncidentAlerts } from '../alerts/index.ts';
import { ACK_TIMEOUT, type AckTimeoutPayload, restartEscalation } from '../escalation/index.ts';
import { writeAudit } from '../shared/audit.ts';
import { recordIncidentEvents } from '../webhooks/index.ts';
import { type Ctx, systemActor } from '../shared/context.ts';

/**
 * An acknowledgement that was not followed by a resolve within the policy's `ackTimeoutMinutes`:
 * the incident and its acknowledged alerts go back to triggered and the escalation starts again
 * from its first level, in one transaction. Nothing happens when the incident was resolved or
 * acknowledged again since (the payload names the acknowledgement it belongs to).
 */
export async function expireAcknowledgement(ctx: Ctx, payload: AckTimeoutPayload): Promise<boolean> {
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now();
    const minutes = Math.round((now.getTime() - Date.parse(payload.acknowledgedAt)) / 60_000);
    const reason = `acknowledged ${minutes} minutes ago and not resolved: triggered again`;
    if (!(await retriggerIncidentAlerts(tx, ctx, payload.incidentId, new Date(payload.acknowledgedAt), reason))) return false;
    await restartEscalation(tx, payload.incidentId, now, { reason: 'ack timeout', by: null });
    // Subscribers hear it as triggered again, with why.
    await recordIncidentEvents(tx, now, [{ type: 'incident.triggered', incidentId: payload.incidentId, data: { reason: 'ack timeout', acknowledgedAt: payload.acknowledgedAt } }]);
    await writeAudit(tx, ctx, {
      action: 'incident.retrigger',
      entityType: 'incident',
      entityId: payload.incidentId,
      data: { acknowledgedAt: payload.acknowledgedAt, reason },
    });
    return true;
  });
}

/** `incident.ack-timeout`, armed by core/escalation when an acknowledgement stops an escalation. */
export const incidentJobs = defineFamily('incident', 1, {
  [ACK_TIMEOUT]: async (job: Job<AckTimeoutPayload>, { db, clock }) => {
    await expireAcknowledgement({ db, clock, actor: systemActor('ack timeout') }, job.payload);
  },
});
