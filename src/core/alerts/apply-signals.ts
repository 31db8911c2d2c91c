import { randomUUID } from 'node:crypto';
import type { Tx } from '../shared/context.ts';
import { describeRule, type EventRule, firstMatchingRule } from './event-rules.ts';
import { matchFields } from './fields.ts';
import { contentGroupKey } from './grouping.ts';
import { formatMatchers, matchesAll } from './matchers.ts';
import type { AlertSignal } from './signal.ts';
import {
  attachAlert,
  type EventRow,
  findActiveMaintenance,
  findActiveSilences,
  findIncidentToJoin,
  findKeys,
  findOpenAlertForUpdate,
  findRules,
  findServiceSettings,
  insertEvents,
  insertIncident,
  joinIncident,
  lockServiceGrouping,
  notifyAlertsChanged,
  refreshIncidents,
  type ServiceSettings,
  setAlertStatus,
  upsertAlert,
} from './store.ts';
import { urgencyOf } from './urgency.ts';

export type Decision = EventRow['decision'];

export interface IngestItem {
  /** An integration key as the sender gave it, or (heartbeats, tests) the service itself. */
  target: { key: string } | { serviceId: string };
  signal: AlertSignal;
  requestId?: string | undefined;
}

export interface IngestResult {
  decision: Decision;
  reason: string;
  /** False only when the target key is unknown (or revoked): senders answer that in their own way. */
  knownKey: boolean;
  serviceId: string | null;
  alertId: string | null;
  alertNumber: number | null;
  incidentId: string | null;
  dedupKey: string | null;
}

/**
 * Applies a batch of signals in the caller's transaction, in order, and logs each with the
 * decision taken and why. Everything one batch needs to look up (keys, services, rules,
 * maintenance windows, silences) is read once. Pure decisions live in the rule files; this
 * function sequences them against the store.
 */
export async function applySignals(tx: Tx, now: Date, items: readonly IngestItem[]): Promise<IngestResult[]> {
  const keys = await findKeys(tx, [...new Set(items.flatMap((i) => ('key' in i.target ? [i.target.key] : [])))]);
  const serviceIdOf = (i: IngestItem) => ('key' in i.target ? keys.get(i.target.key)?.serviceId : i.target.serviceId);
  const batch = await loadBatch(tx, now, [...new Set(items.map(serviceIdOf).filter((s): s is string => s !== undefined))]);
  // Grouping services are locked first, in one order, before any alert row: otherwise two nodes
  // could each hold an alert row the other needs while waiting for the other's grouping lock.
  for (const id of [...batch.services.keys()].sort()) {
    if (batch.services.get(id)!.grouping.mode !== 'none') await lockServiceGrouping(tx, id);
  }
  const events: EventRow[] = [];
  const results: IngestResult[] = [];
  for (const item of items) {
    const serviceId = serviceIdOf(item);
    const result = serviceId ? await applyOne(tx, now, batch, serviceId, item) : unknownKey(item);
    results.push(result);
    events.push({
      at: now,
      alertId: result.alertId,
      serviceId: result.serviceId,
      sender: item.signal.sender,
      action: item.signal.action,
      decision: result.decision,
      reason: result.reason,
      dedupKey: result.dedupKey,
      actorName: null,
      requestId: item.requestId ?? null,
      // An event to an unknown key is logged without its body: a stranger's payload is not kept.
      payload: result.knownKey ? item.signal.raw : null,
    });
  }
  await insertEvents(tx, events);
  await notifyAlertsChanged(tx);
  return results;
}

const unknownKey = (item: IngestItem): IngestResult => ({
  decision: 'ignored',
  reason: 'unknown or revoked integration key',
  knownKey: false,
  serviceId: null,
  alertId: null,
  alertNumber: null,
  incidentId: null,
  dedupKey: item.signal.dedupKey,
});

interface Batch {
  services: Map<string, ServiceSettings>;
  rules: EventRule[];
  maintenance: Awaited<ReturnType<typeof findActiveMaintenance>>;
  silences: Awaited<ReturnType<typeof findActiveSilences>>;
  load(serviceId: string): Promise<ServiceSettings | undefined>;
}

async function loadBatch(tx: Tx, now: Date, serviceIds: string[]): Promise<Batch> {
  const services = new Map((await findServiceSettings(tx, serviceIds)).map((s) => [s.id, s]));
  const batch: Batch = {
    services,
    rules: await findRules(tx, serviceIds),
    maintenance: await findActiveMaintenance(tx, serviceIds, now),
    silences: await findActiveSilences(tx, now),
    // A global rule may route to a service the batch did not name: read it (and its rules) then.
    async load(id) {
      if (!services.has(id)) {
        const [s] = await findServiceSettings(tx, [id]);
        if (!s) return undefined;
        services.set(id, s);
        const known = new Set(batch.rules.map((r) => r.id));
        batch.rules.push(...(await findRules(tx, [id])).filter((r) => !known.has(r.id)));
        batch.maintenance.push(...(await findActiveMaintenance(tx, [id], now)));
      }
      return services.get(id);
    },
  };
  return batch;
}

async function applyOne(tx: Tx, now: Date, batch: Batch, firstServiceId: string, item: IngestItem): Promise<IngestResult> {
  let service = (await batch.load(firstServiceId))!;
  let signal = item.signal;
  const notes: string[] = [];
  let suppressedBy: Record<string, unknown> | null = null;

  // Stage 1: global rules; stage 2: the (possibly new) service's own rules.
  for (const stage of ['global', 'service'] as const) {
    const candidates = batch.rules.filter((r) => (stage === 'global' ? r.serviceId === null : r.serviceId === service.id));
    const rule = firstMatchingRule(candidates, matchFields(signal, service.name));
    if (!rule) continue;
    const a = rule.actions;
    if (a.drop) {
      return { ...base(service.id, signal), decision: 'dropped', reason: `dropped by ${describeRule(rule)}` };
    }
    if (a.routeToServiceId && a.routeToServiceId !== service.id) {
      const target = await batch.load(a.routeToServiceId);
      if (target) {
        notes.push(`routed from ${service.name} to ${target.name} by ${describeRule(rule)}`);
        service = target;
      }
    }
    if (a.severity && a.severity !== signal.severity) {
      notes.push(`severity ${signal.severity} → ${a.severity} by ${describeRule(rule)}`);
      signal = { ...signal, severity: a.severity, labels: { ...signal.labels, severity: a.severity } };
    }
    if (a.suppress && !suppressedBy) suppressedBy = { type: 'rule', id: rule.id, name: rule.name };
  }
  const withNotes = (reason: string) => [reason, ...notes].join('; ');

  if (signal.action !== 'trigger') {
    const ref = signal.alertRef ?? (signal.dedupKey !== null ? { dedupKey: signal.dedupKey } : null);
    const open = ref ? await findOpenAlertForUpdate(tx, service.id, ref) : undefined;
    const result = { ...base(service.id, signal), dedupKey: open?.dedup_key ?? signal.dedupKey };
    if (!open) {
      return { ...result, decision: 'ignored', reason: withNotes('no open alert with this key: it was already resolved or never triggered') };
    }
    const found = { ...result, alertId: open.id, alertNumber: open.number, incidentId: open.incident_id };
    if (signal.action === 'acknowledge' && open.status === 'acknowledged') {
      return { ...found, decision: 'ignored', reason: withNotes('already acknowledged') };
    }
    const target = signal.action === 'acknowledge' ? 'acknowledged' : 'resolved';
    await setAlertStatus(tx, [open.id], target, now);
    if (open.incident_id) await refreshIncidents(tx, [open.incident_id], now);
    return { ...found, decision: target, reason: withNotes(`${target} by ${signal.sender}`) };
  }

  // A trigger: noise controls first, so a suppressed alert is recorded but pages nobody.
  const fields = matchFields(signal, service.name);
  if (!suppressedBy) {
    const window = batch.maintenance.find((m) => m.service_id === service.id);
    if (window) suppressedBy = { type: 'maintenance', id: window.id, description: window.description, until: window.ends_at.toISOString() };
  }
  if (!suppressedBy) {
    const silence = batch.silences.find((s) => (s.service_id === null || s.service_id === service.id) && matchesAll(s.matchers, fields));
    if (silence) suppressedBy = { type: 'silence', id: silence.id, comment: silence.comment, matchers: formatMatchers(silence.matchers), until: silence.ends_at.toISOString() };
  }
  const dedupKey = signal.dedupKey ?? randomUUID();
  const urgency = urgencyOf(signal.severity, service.urgencyRule, now);
  const alert = await upsertAlert(tx, { serviceId: service.id, dedupKey, signal, severity: signal.severity, urgency, suppressedBy, now });
  const result = { ...base(service.id, signal), dedupKey, alertId: alert.id, alertNumber: alert.number, incidentId: alert.incident_id };
  if (!alert.inserted) {
    const held = alert.suppressed_by ? '; the alert is suppressed' : '';
    return { ...result, decision: 'deduplicated', reason: withNotes(`repeat #${alert.count} of an open ${alert.status} alert${held}`) };
  }
  if (suppressedBy) return { ...result, decision: 'suppressed', reason: withNotes(`suppressed by ${describeSuppression(suppressedBy)}`) };

  const incident = await openOrJoinIncident(tx, now, service, signal, fields, urgency);
  await attachAlert(tx, alert.id, incident.id);
  return {
    ...result,
    incidentId: incident.id,
    decision: 'created',
    reason: withNotes(`${incident.joined ? 'joined' : 'opened'} incident #${incident.number} (${urgency} urgency)`),
  };
}

const base = (serviceId: string, signal: AlertSignal): IngestResult => ({
  decision: 'ignored',
  reason: '',
  knownKey: true,
  serviceId,
  alertId: null,
  alertNumber: null,
  incidentId: null,
  dedupKey: signal.dedupKey,
});

export function describeSuppression(s: Record<string, unknown>): string {
  if (s.type === 'maintenance') return `maintenance window "${String(s.description)}" until ${String(s.until)}`;
  if (s.type === 'silence') return `silence "${String(s.comment)}" (${String(s.matchers)}) until ${String(s.until)}`;
  return `event rule "${String(s.name)}"`;
}

async function openOrJoinIncident(
  tx: Tx,
  now: Date,
  service: ServiceSettings,
  signal: AlertSignal,
  fields: Record<string, string>,
  urgency: 'high' | 'low',
): Promise<{ id: string; number: number; joined: boolean }> {
  const g = service.grouping;
  if (g.mode !== 'none') {
    // Two nodes grouping alerts of one service at once must not both open an incident.
    await lockServiceGrouping(tx, service.id);
    const groupKey = g.mode === 'content' ? contentGroupKey(g.fields, { ...fields, ...(signal.groupKey ? { groupKey: signal.groupKey } : {}) }) : null;
    const since = g.windowMinutes > 0 ? new Date(now.getTime() - g.windowMinutes * 60_000) : null;
    const open = await findIncidentToJoin(tx, service.id, groupKey, since);
    if (open) {
      await joinIncident(tx, open.id, urgency, now);
      return { id: open.id, number: open.number, joined: true };
    }
    const created = await insertIncident(tx, { serviceId: service.id, title: signal.summary, urgency, groupKey, now });
    return { ...created, joined: false };
  }
  const created = await insertIncident(tx, { serviceId: service.id, title: signal.summary, urgency, groupKey: null, now });
  return { ...created, joined: false };
}
