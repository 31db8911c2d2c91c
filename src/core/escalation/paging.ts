import { defineFamily, type Job, scheduleJob, scheduleJobs } from '../../engine/index.ts';
import type { Tx } from '../shared/context.ts';
import { recordIncidentEvents } from '../webhooks/index.ts';
import type { EscalationStepLog } from '../../storage/schema.ts';
import { allTargets, type EscalationState, nextStep, type Step } from './next-step.ts';
import type { PolicySnapshot } from './policy.ts';
import { resolveTargets } from './resolve-targets.ts';
import {
  deletePendingStep,
  findAckTimeouts,
  findUsableRules,
  insertEscalations,
  insertNotifications,
  lockEscalation,
  type NewNotification,
  resetEscalation,
  saveEscalationState,
  type StopReason,
  stopEscalationRows,
} from './store.ts';

export const ESCALATION_DUE = 'escalation.due';
/**
 * An acknowledgement that timed out (the snapshot's `ackTimeoutMinutes`). Armed here, when an
 * acknowledgement stops an escalation; run by core/incidents (`incidentJobs`), which can put the
 * alerts back to triggered through core/alerts and then calls `restartEscalation`.
 */
export const ACK_TIMEOUT = 'incident.ack-timeout';
export const NOTIFY_SEND = 'notify.send';
/** Sends are tried this many times (engine backoff between them) before the row is failed. */
export const NOTIFY_MAX_ATTEMPTS = 5;
export const NO_USABLE_RULE = 'unreachable: no notification rule for this urgency on a verified contact method';

const MINUTE = 60_000;
export const escalationKey = (incidentId: string) => `escalation:${incidentId}`;
export const notifyKey = (notificationId: string) => `notify:${notificationId}`;

export interface EscalationDuePayload {
  incidentId: string;
}
export interface NotifySendPayload {
  notificationId: string;
}
export interface AckTimeoutPayload {
  incidentId: string;
  /** The acknowledgement this timeout belongs to: a later one, or a resolve, disarms it. */
  acknowledgedAt: string;
}
export const ackTimeoutKey = (incidentId: string) => `ack-timeout:${incidentId}`;

/**
 * Starts escalation for incidents just opened, in the caller's transaction (the one that opened
 * them): one insert for every escalation row (services without a policy get none) and one bulk
 * schedule of `escalation.due` at `now`. Set-based whatever the batch size.
 */
export async function startEscalations(tx: Tx, now: Date, incidents: readonly { id: string; serviceId: string }[]): Promise<string[]> {
  const started = await insertEscalations(tx, now, incidents);
  await scheduleJobs(
    tx,
    started.map((incidentId) => ({ kind: ESCALATION_DUE, key: escalationKey(incidentId), runAt: now, payload: { incidentId } satisfies EscalationDuePayload, now })),
  );
  return started;
}

/**
 * Stops the escalations of incidents that became acknowledged or resolved, in the caller's
 * transaction, in one statement: the escalation row records why, its pending `escalation.due` job is
 * deleted and its queued notifications are cancelled (a `notify.send` job that runs anyway finds them cancelled).
 */
export async function stopEscalations(tx: Tx, now: Date, stops: readonly { incidentId: string; reason: 'acknowledged' | 'resolved' }[]): Promise<void> {
  await stopEscalationRows(tx, now, stops);
  // An acknowledgement under a policy with a timeout arms it (a resolve disarms it, above).
  const armed = await findAckTimeouts(tx, stops.filter((s) => s.reason === 'acknowledged').map((s) => s.incidentId));
  await scheduleJobs(
    tx,
    armed.map((a) => ({
      kind: ACK_TIMEOUT,
      key: ackTimeoutKey(a.incident_id),
      runAt: new Date(a.acknowledged_at.getTime() + a.minutes * MINUTE),
      payload: { incidentId: a.incident_id, acknowledgedAt: a.acknowledged_at.toISOString() } satisfies AckTimeoutPayload,
      now,
    })),
  );
}

/**
 * Starts an incident's escalation again from its first level, in the caller's transaction (which
 * holds the incident: it has just been put back to triggered or reassigned): on `policy` when given
 * (a reassignment; an incident without an escalation gets one) or on its own snapshot, with
 * `restarts` + 1 so its pages get keys of their own. Earlier queued pages are cancelled; the first
 * step is due at once. Returns the new restart count; null when there was nothing to restart.
 */
export async function restartEscalation(
  tx: Tx,
  incidentId: string,
  now: Date,
  why: NonNullable<EscalationStepLog['restart']>,
  policy?: PolicySnapshot,
): Promise<number | null> {
  const entry: EscalationStepLog = { at: now.toISOString(), level: null, pass: null, userIds: [], skipped: [], restart: why };
  const restarts = await resetEscalation(tx, incidentId, now, entry, policy);
  if (restarts === null) return null;
  await scheduleJob(tx, { kind: ESCALATION_DUE, key: escalationKey(incidentId), runAt: now, payload: { incidentId } satisfies EscalationDuePayload, now });
  return restarts;
}

/**
 * Incident, level, pass, user, method and rule delay (and, after the escalation started again, which
 * start): one send, whatever runs it how often.
 */
export const idempotencyKey = (n: { incidentId: string; level: number; pass: number; restart: number; userId: string; contactMethodId: string | null; delayMinutes: number | null }) =>
  `${n.incidentId}:${n.level}:${n.pass}:${n.userId}:${n.contactMethodId ?? 'none'}:${n.delayMinutes ?? '-'}${n.restart ? `:r${n.restart}` : ''}`;

/**
 * One step of an incident's escalation, in one transaction: lock the incident and its escalation;
 * do nothing when it is stopped or not due yet (a second run of the same job); stop it when the
 * incident is acknowledged or resolved; otherwise resolve the snapshot's targets now, run
 * `nextStep`, write a notification row per (person, usable rule) or one failed row for a person
 * nobody can reach, schedule one `notify.send` per new row at now + the rule's delay, and store the
 * next state with the next `escalation.due`, or end the escalation.
 */
export async function runEscalationStep(tx: Tx, incidentId: string, now: Date): Promise<void> {
  const locked = await lockEscalation(tx, incidentId);
  if (!locked) return; // the incident (and its escalation) is gone, or it never had one
  const { incident, escalation } = locked;
  if (escalation.stopped_at) return;
  if (incident.status !== 'triggered') {
    await stopEscalations(tx, now, [{ incidentId, reason: incident.status }]);
    return;
  }
  if (escalation.next_run_at && escalation.next_run_at.getTime() > now.getTime()) return;
  const state = { level: escalation.level, pass: escalation.pass, cursors: escalation.cursors, restart: escalation.restarts };
  await fireStep(tx, incident, escalation.policy as PolicySnapshot, state, now);
}

/**
 * Fires one step from `state` at `now` (the locked incident is triggered and its escalation
 * running): the code path shared by `escalation.due` and manual escalation. Resolves the snapshot's
 * targets, runs `nextStep`, writes the notification rows (idempotency keys: a row that exists is not
 * written again) with their `notify.send` jobs, appends the step to the log and stores the next
 * state with `next_run_at` and the `escalation.due` job moved to its `runAt` (replacing the pending
 * one), or ends the escalation.
 */
export async function fireStep(
  tx: Tx,
  incident: { id: string; urgency: 'high' | 'low' },
  policy: PolicySnapshot,
  state: EscalationState & { restart: number },
  now: Date,
  manual?: EscalationStepLog['manual'],
): Promise<Step> {
  const incidentId = incident.id;
  const resolved = await resolveTargets(tx, allTargets(policy), now);
  const step = nextStep(policy, state, now, resolved);

  if (step.fired) {
    const { level, pass, userIds } = step.fired;
    const rules = await findUsableRules(tx, userIds, incident.urgency);
    const rows: NewNotification[] = [];
    for (const userId of userIds) {
      const mine = rules.filter((r) => r.user_id === userId);
      const base = { incidentId, level, pass, restart: state.restart, userId };
      if (mine.length === 0) {
        rows.push({ ...base, contactMethodId: null, delayMinutes: null, status: 'failed', lastError: NO_USABLE_RULE, idempotencyKey: idempotencyKey({ ...base, contactMethodId: null, delayMinutes: null }) });
      }
      for (const r of mine) {
        const n = { ...base, contactMethodId: r.contact_method_id, delayMinutes: r.delay_minutes };
        rows.push({ ...n, status: 'queued', lastError: null, idempotencyKey: idempotencyKey(n) });
      }
    }
    const inserted = await insertNotifications(tx, now, rows);
    await scheduleJobs(
      tx,
      inserted
        .filter((n) => n.status === 'queued')
        .map((n) => ({
          kind: NOTIFY_SEND,
          key: notifyKey(n.id),
          runAt: new Date(now.getTime() + (n.delay_minutes ?? 0) * MINUTE),
          payload: { notificationId: n.id } satisfies NotifySendPayload,
          maxAttempts: NOTIFY_MAX_ATTEMPTS,
          now,
        })),
      'dedupe',
    );
    await recordIncidentEvents(tx, now, [{ type: 'incident.escalated', incidentId, data: { level, pass, userIds, manual: manual ?? null } }]);
  }

  const logged: EscalationStepLog = {
    at: now.toISOString(),
    level: step.fired?.level ?? null,
    pass: step.fired?.pass ?? null,
    userIds: step.fired?.userIds ?? [],
    skipped: step.skipped.map((s) => ({ ...s })),
    ...(manual ? { manual } : {}),
  };
  if (step.next) {
    const { state: next, runAt } = step.next;
    await saveEscalationState(tx, incidentId, now, logged, { ...next, runAt });
    await scheduleJob(tx, { kind: ESCALATION_DUE, key: escalationKey(incidentId), runAt, payload: { incidentId } satisfies EscalationDuePayload, now });
  } else {
    const reason: StopReason = step.fired ? 'completed' : 'paged nobody';
    await saveEscalationState(tx, incidentId, now, logged, { stopReason: reason });
    // A manual step that ends the escalation leaves no timer behind (a due step that ends it is that timer).
    if (manual) await deletePendingStep(tx, incidentId);
  }
  return step;
}

/** `escalation.due`: one step of one incident's escalation (`runEscalationStep`). */
export const escalationJobs = defineFamily('escalation', 1, {
  [ESCALATION_DUE]: async (job: Job<EscalationDuePayload>, { db, clock }) => {
    await db.transaction().execute((tx) => runEscalationStep(tx, job.payload.incidentId, clock.now()));
  },
});
