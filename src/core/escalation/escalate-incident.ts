import { writeAudit } from '../shared/audit.ts';
import { actorUserId, authorize, type Ctx } from '../shared/context.ts';
import { DomainError, notFound, validationError } from '../shared/errors.ts';
import { type DeliveryLog, deliveryLogOf, parseIncidentRef } from './list-notifications.ts';
import { initialState, manualState, type Skip } from './next-step.ts';
import { fireStep, restartEscalation } from './paging.ts';
import type { PolicySnapshot } from './policy.ts';
import { findIncidentRef, lockEscalation } from './store.ts';

export interface ManualEscalation extends DeliveryLog {
  /** The level that fired now, its pass and whom it paged; null when every remaining level resolved to nobody. */
  fired: { level: number; pass: number; userIds: string[] } | null;
  skipped: Skip[];
}

/**
 * A person escalates a triggered incident by hand, now: without `level` the step due next fires at
 * once ("escalate now"); with `level` K (0-based, within the escalation's policy snapshot) level K
 * fires at once (`manualState`: a level this pass already reached fires again in a new pass). The
 * step runs through `fireStep`, the code path of `escalation.due`, so pages, idempotency keys,
 * the step log and the next `escalation.due` (moved, with `next_run_at`, to the fired level's delay
 * from now: the old deadline does not fire too) are the same. PRECONDITION_FAILED unless the
 * incident is triggered with a running escalation. Audited as `incident.escalate`.
 */
export async function escalateIncident(ctx: Ctx, ref: string, input: { level?: number | undefined } = {}): Promise<ManualEscalation> {
  authorize(ctx.actor, 'write');
  const { level } = input;
  if (level !== undefined && !(Number.isInteger(level) && level >= 0)) throw validationError([{ field: 'body.level', reason: 'must be an integer >= 0' }]);
  const parsed = parseIncidentRef(ref);
  return ctx.db.transaction().execute(async (tx) => {
    const found = await findIncidentRef(tx, parsed);
    if (!found) throw notFound('incident', ref);
    // The incident, then its escalation, locked as the engine's step locks them.
    const locked = await lockEscalation(tx, found.id);
    const status = locked?.incident.status ?? (await tx.selectFrom('incidents').select('status').where('id', '=', found.id).executeTakeFirstOrThrow()).status;
    if (status !== 'triggered') {
      throw new DomainError('PRECONDITION_FAILED', `Incident #${found.number} is ${status}; only a triggered incident can be escalated.`, { status });
    }
    const ended = locked?.escalation.stopped_at && (locked.escalation.stop_reason === 'completed' || locked.escalation.stop_reason === 'paged nobody');
    if (!locked || (locked.escalation.stopped_at && !ended)) {
      const reason = locked?.escalation.stop_reason ?? null;
      throw new DomainError(
        'PRECONDITION_FAILED',
        locked ? `Incident #${found.number} has no running escalation (it ended: ${reason}).` : `Incident #${found.number} has no escalation (its service had no policy when it opened).`,
        { status, stopReason: reason },
      );
    }
    const { incident, escalation } = locked;
    const policy = escalation.policy as PolicySnapshot;
    // An escalation that ran to its end (nobody acknowledged) starts again from the top, its pages under new keys.
    const from = ended ? initialState() : { level: escalation.level, pass: escalation.pass, cursors: escalation.cursors };
    const state = manualState(policy, from, level);
    if (!state) {
      throw validationError([{ field: 'body.level', reason: `no level ${level} in the escalation's policy snapshot (levels 0 to ${policy.levels.length - 1})` }]);
    }
    const now = ctx.clock.now();
    const by = actorUserId(ctx.actor) ?? (ctx.actor.type === 'system' ? ctx.actor.name : ctx.actor.id);
    const restart = ended ? await restartEscalation(tx, incident.id, now, { reason: 'escalated after it ended', by }) : escalation.restarts;
    const step = await fireStep(tx, incident, policy, { ...state, restart: restart ?? escalation.restarts }, now, { by, requestedLevel: level ?? null });
    await writeAudit(tx, ctx, {
      action: 'incident.escalate',
      entityType: 'incident',
      entityId: incident.id,
      data: {
        number: incident.number,
        requestedLevel: level ?? null,
        from: { level: escalation.level, pass: escalation.pass },
        fired: step.fired && { level: step.fired.level, pass: step.fired.pass, userIds: step.fired.userIds },
        skipped: step.skipped.map((s) => s.level),
      },
    });
    const log = await deliveryLogOf(tx, incident.id);
    return { ...log, fired: step.fired && { ...step.fired }, skipped: step.skipped };
  });
}
