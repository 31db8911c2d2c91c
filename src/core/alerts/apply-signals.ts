import { randomUUID } from 'node:crypto';
import { startEscalations } from '../escalation/index.ts';
import { recordIncidentEvents } from '../webhooks/index.ts';
import type { Tx } from '../shared/context.ts';
import { describeRule, type EventRule, firstMatchingRule } from './event-rules.ts';
import { matchFields } from './fields.ts';
import { contentGroupKey } from './grouping.ts';
import { formatMatchers, matchesAll } from './matchers.ts';
import type { AlertSignal } from './signal.ts';
import {
  type AlertRef,
  countRepeats,
  type EventRow,
  type IngestContext,
  findActiveMaintenance,
  findIncidentsToJoin,
  findIngestContext,
  findOpenAlertsForUpdate,
  findRules,
  findServiceSettings,
  insertAlerts,
  insertEvents,
  insertIncidents,
  joinIncidents,
  lockServiceGrouping,
  type NewAlert,
  type NewIncident,
  notifyAlertsChanged,
  releaseIncidents,
  refreshIncidents,
  type ServiceSettings,
  setAlertStatus,
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
 * maintenance windows, silences) is read once, and runs of triggers are written set-wise: a few
 * statements per run, whatever its length (`applyTriggers`). Pure decisions live in the rule
 * files; this function sequences them against the store.
 */
export async function applySignals(tx: Tx, now: Date, items: readonly IngestItem[]): Promise<IngestResult[]> {
  const batch = await loadBatch(tx, now, items);
  const serviceIdOf = (i: IngestItem) => ('key' in i.target ? batch.keys.get(i.target.key)?.serviceId : i.target.serviceId);
  // Grouping services are locked first, in one order, before any alert row: otherwise two nodes
  // could each hold an alert row the other needs while waiting for the other's grouping lock.
  for (const id of [...batch.services.keys()].sort()) {
    if (batch.services.get(id)!.grouping.mode !== 'none') await lockGrouping(tx, batch, id);
  }
  const results: IngestResult[] = new Array(items.length);
  // Events are written in runs: a run of triggers (the later events of a (service, dedup key)
  // pair in it are its repeats), or a run of acknowledges and resolves. A trigger first writes the
  // actions before it and an action the triggers before it, so the batch means exactly what the
  // same events one by one would mean.
  const run = new Map<string, PlannedTrigger>();
  const actions: { ord: number; routed: Routed }[] = [];
  const flush = async () => {
    if (run.size) await applyTriggers(tx, now, batch, [...run.values()], results);
    run.clear();
    if (actions.length) await applyActions(tx, now, actions, results);
    actions.length = 0;
  };
  for (const [ord, item] of items.entries()) {
    const serviceId = serviceIdOf(item);
    if (!serviceId) {
      results[ord] = unknownKey(item);
      continue;
    }
    const routed = await route(batch, serviceId, item.signal);
    if ('result' in routed) {
      results[ord] = routed.result;
    } else if (routed.signal.action !== 'trigger') {
      if (run.size) await flush();
      actions.push({ ord, routed });
    } else {
      if (actions.length) await flush();
      const planned = planTrigger(batch, now, ord, routed);
      const pair = `${planned.alert.serviceId} ${planned.alert.dedupKey}`;
      const first = run.get(pair);
      if (first) {
        first.repeats.push({ ord, notes: planned.notes });
        first.alert.latest = planned.alert.signal;
        first.alert.occurrences++;
      } else {
        run.set(pair, planned);
      }
    }
  }
  await flush();
  await insertEvents(
    tx,
    items.map((item, ord) => {
      const result = results[ord]!;
      return {
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
      };
    }),
  );
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


interface Batch extends Omit<IngestContext, 'services'> {
  services: Map<string, ServiceSettings>;
  /** Services whose grouping lock this transaction holds. */
  locked: Set<string>;
  load(serviceId: string): Promise<ServiceSettings | undefined>;
}

async function loadBatch(tx: Tx, now: Date, items: readonly IngestItem[]): Promise<Batch> {
  const keys = new Set<string>();
  const serviceIds = new Set<string>();
  for (const { target } of items) {
    if ('key' in target) keys.add(target.key);
    else serviceIds.add(target.serviceId);
  }
  const context = await findIngestContext(tx, [...keys], [...serviceIds], now);
  const services = new Map(context.services.map((s) => [s.id, s]));
  const batch: Batch = {
    ...context,
    services,
    locked: new Set(),
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

/** Two nodes grouping alerts of one service at once must not both open an incident. */
async function lockGrouping(tx: Tx, batch: Batch, serviceId: string): Promise<void> {
  if (batch.locked.has(serviceId)) return;
  await lockServiceGrouping(tx, serviceId);
  batch.locked.add(serviceId);
}

/** An event after the event rules: the service it ended at, its signal, and what the rules did. */
interface Routed {
  service: ServiceSettings;
  signal: AlertSignal;
  notes: string[];
  suppressedBy: Record<string, unknown> | null;
}

/** Stage 1: global rules; stage 2: the (possibly new) service's own rules. A drop ends here. */
async function route(batch: Batch, firstServiceId: string, original: AlertSignal): Promise<Routed | { result: IngestResult }> {
  let service = (await batch.load(firstServiceId))!;
  let signal = original;
  const notes: string[] = [];
  let suppressedBy: Record<string, unknown> | null = null;
  for (const stage of ['global', 'service'] as const) {
    const candidates = batch.rules.filter((r) => (stage === 'global' ? r.serviceId === null : r.serviceId === service.id));
    const rule = firstMatchingRule(candidates, matchFields(signal, service.name));
    if (!rule) continue;
    const a = rule.actions;
    if (a.drop) {
      return { result: { ...base(service.id, signal), decision: 'dropped', reason: `dropped by ${describeRule(rule)}` } };
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
  return { service, signal, notes, suppressedBy };
}

const withNotes = (reason: string, notes: readonly string[]) => [reason, ...notes].join('; ');

/**
 * A run of acknowledges and resolves: each applies to its service's open alert with its key (or
 * id, or number). The alerts are read and locked in one statement, the events decided in order
 * (an acknowledge then a resolve of one alert in one run is two decisions), then one update per
 * new status and one refresh of the incidents concerned.
 */
async function applyActions(tx: Tx, now: Date, run: readonly { ord: number; routed: Routed }[], results: IngestResult[]): Promise<void> {
  const refOf = ({ signal }: Routed): AlertRef | null => signal.alertRef ?? (signal.dedupKey !== null ? { dedupKey: signal.dedupKey } : null);
  const refs = run.flatMap(({ routed }) => {
    const ref = refOf(routed);
    return ref ? [{ serviceId: routed.service.id, ref }] : [];
  });
  const rows = await findOpenAlertsForUpdate(tx, refs);
  const status = new Map(rows.map((r) => [r.id, r.status]));
  const matches = (ref: AlertRef, serviceId: string) => (r: (typeof rows)[number]) =>
    r.service_id === serviceId && ('dedupKey' in ref ? r.dedup_key === ref.dedupKey : 'id' in ref ? r.id === ref.id : r.number === ref.number);
  const changed = { acknowledged: new Set<string>(), resolved: new Set<string>() };
  for (const { ord, routed } of run) {
    const { service, signal, notes } = routed;
    const ref = refOf(routed);
    // The row as this run has left it so far: a resolve earlier in the run closed it.
    const open = ref ? rows.find((r) => matches(ref, service.id)(r) && status.get(r.id) !== 'resolved') : undefined;
    const result = { ...base(service.id, signal), dedupKey: open?.dedup_key ?? signal.dedupKey };
    if (!open) {
      results[ord] = { ...result, decision: 'ignored', reason: withNotes('no open alert with this key: it was already resolved or never triggered', notes) };
      continue;
    }
    const found = { ...result, alertId: open.id, alertNumber: open.number, incidentId: open.incident_id };
    if (signal.action === 'acknowledge' && status.get(open.id) === 'acknowledged') {
      results[ord] = { ...found, decision: 'ignored', reason: withNotes('already acknowledged', notes) };
      continue;
    }
    const target = signal.action === 'acknowledge' ? 'acknowledged' : 'resolved';
    status.set(open.id, target);
    changed[target].add(open.id);
    results[ord] = { ...found, decision: target, reason: withNotes(`${target} by ${signal.sender}`, notes) };
  }
  // An alert acknowledged and then resolved in one run is written as resolved (acknowledged at the same instant).
  const acknowledged = [...changed.acknowledged].filter((id) => !changed.resolved.has(id));
  if (acknowledged.length) await setAlertStatus(tx, acknowledged, 'acknowledged', now);
  if (changed.resolved.size) await setAlertStatus(tx, [...changed.resolved], 'resolved', now);
  const incidents = new Set(rows.filter((r) => r.incident_id && (changed.acknowledged.has(r.id) || changed.resolved.has(r.id))).map((r) => r.incident_id!));
  await refreshIncidents(tx, [...incidents], now);
}

interface PlannedTrigger {
  alert: NewAlert;
  service: ServiceSettings;
  fields: Record<string, string>;
  notes: string[];
  /** The later triggers for the same pair in this run: their places in the batch and rule notes. */
  repeats: { ord: number; notes: string[] }[];
}

/** A trigger's noise controls, key and urgency: pure, from what the batch has read. */
function planTrigger(batch: Batch, now: Date, ord: number, { service, signal, notes, suppressedBy: byRule }: Routed): PlannedTrigger {
  const fields = matchFields(signal, service.name);
  let suppressedBy = byRule;
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
  return { alert: { ord, serviceId: service.id, dedupKey, signal, latest: signal, occurrences: 1, urgency, suppressedBy }, service, fields, notes, repeats: [] };
}

/**
 * Writes a run of triggers with distinct (service, dedup key) pairs: one update counts every
 * repeat; the new, unsuppressed alerts are placed in incidents (one insert for new incidents, one
 * update for joined ones); one insert opens every new alert already attached to its incident; and
 * each trigger gets its result.
 */
async function applyTriggers(tx: Tx, now: Date, batch: Batch, run: readonly PlannedTrigger[], results: IngestResult[]): Promise<void> {
  const repeats = await countRepeats(tx, now, run.map((p) => p.alert));
  const misses = run.filter((p) => !repeats.has(p.alert.ord));
  const placing = misses.filter((p) => !p.alert.suppressedBy);
  const placed = await placeInIncidents(tx, now, batch, placing);
  const numbers = await insertIncidents(tx, now, placed.created);
  await joinIncidents(tx, now, placed.joined);
  const incidentOf = new Map(placing.map((p, i) => [p.alert.ord, placed.incidentOf[i]!]));
  const inserted = await insertAlerts(tx, now, misses.map((p) => ({ ...p.alert, incidentId: incidentOf.get(p.alert.ord)?.id ?? null })));
  await releaseUnused(tx, now, misses, inserted, incidentOf, placed.created);
  // Paging starts in the transaction that opens the incident: one insert and one bulk schedule for
  // the whole run (incidents released again above no longer exist and start nothing).
  await startEscalations(tx, now, placed.created);
  await recordIncidentEvents(tx, now, placed.created.map((i) => ({ type: 'incident.triggered', incidentId: i.id })));

  for (const planned of run) {
    const { ord, serviceId, dedupKey, signal, suppressedBy } = planned.alert;
    const alert = repeats.get(ord) ?? inserted.get(ord)!;
    const result = { ...base(serviceId, signal), dedupKey, alertId: alert.id, alertNumber: alert.number, incidentId: alert.incident_id };
    // The row counts every event of the pair; the first of them was event number `count - later`.
    const held = alert.suppressed_by ? '; the alert is suppressed' : '';
    const repeat = (n: number, notes: readonly string[]) => withNotes(`repeat #${n} of an open ${alert.status} alert${held}`, notes);
    const firstCount = alert.count - planned.repeats.length;
    // The later events of the pair are repeats of whatever its first event made.
    planned.repeats.forEach((later, i) => {
      results[later.ord] = { ...result, decision: 'deduplicated', reason: repeat(firstCount + i + 1, later.notes) };
    });
    const incident = incidentOf.get(ord);
    if (repeats.has(ord) || !inserted.get(ord)!.inserted) {
      results[ord] = { ...result, decision: 'deduplicated', reason: repeat(firstCount, planned.notes) };
    } else if (suppressedBy) {
      results[ord] = { ...result, decision: 'suppressed', reason: withNotes(`suppressed by ${describeSuppression(suppressedBy)}`, planned.notes) };
    } else {
      const number = incident!.number ?? numbers.get(incident!.id);
      const reason = `${incident!.joined ? 'joined' : 'opened'} incident #${number} (${planned.alert.urgency} urgency)`;
      results[ord] = { ...result, decision: 'created', reason: withNotes(reason, planned.notes) };
    }
  }
}

/**
 * New alerts are placed in incidents before they are inserted, so each is written once, attached.
 * On PostgreSQL another node may open the same key between this transaction's repeat count and
 * its insert; that event then ends as a repeat of the other node's alert, and the incident it was
 * given loses it again (an incident opened for it alone is deleted). Services that group alerts
 * never get here: their grouping lock is held from before the repeat count.
 */
async function releaseUnused(
  tx: Tx,
  now: Date,
  misses: readonly PlannedTrigger[],
  inserted: Map<number, { inserted: boolean }>,
  incidentOf: Map<number, { id: string }>,
  created: readonly NewIncident[],
): Promise<void> {
  const lost = new Map<string, number>();
  for (const p of misses) {
    const incident = incidentOf.get(p.alert.ord);
    if (incident && !inserted.get(p.alert.ord)!.inserted) lost.set(incident.id, (lost.get(incident.id) ?? 0) + 1);
  }
  if (lost.size === 0) return;
  await releaseIncidents(tx, now, [...lost].map(([id, alerts]) => ({ id, alerts })), created.filter((i) => lost.has(i.id)).map((i) => i.id));
}

/**
 * Where each new alert goes, by its service's grouping: a new incident of its own (`none`), or
 * the newest open incident of its service (`time`) or of its group key (`content`) opened within
 * the window: one already open, or one an earlier alert of this run opened.
 */
async function placeInIncidents(tx: Tx, now: Date, batch: Batch, alerts: readonly PlannedTrigger[]) {
  const created: NewIncident[] = [];
  const joined = new Map<string, { id: string; alerts: number; high: boolean }>();
  const incidentOf: { id: string; number: number | null; joined: boolean }[] = [];
  // Per grouping service: group key (null under time grouping) → the incident new alerts join.
  const open = new Map<string, Map<string | null, { id: string; number: number | null; created: NewIncident | null }>>();
  const groupKeyOf = (p: PlannedTrigger): string | null => {
    const g = p.service.grouping;
    if (g.mode !== 'content') return null;
    const sender = p.alert.signal.groupKey;
    return contentGroupKey(g.fields, { ...p.fields, ...(sender ? { groupKey: sender } : {}) });
  };
  for (const service of new Set(alerts.map((p) => p.service))) {
    const g = service.grouping;
    if (g.mode === 'none') continue;
    await lockGrouping(tx, batch, service.id);
    const since = g.windowMinutes > 0 ? new Date(now.getTime() - g.windowMinutes * 60_000) : null;
    const keys = g.mode === 'content' ? [...new Set(alerts.filter((p) => p.service === service).map((p) => groupKeyOf(p)!))] : null;
    const found = await findIncidentsToJoin(tx, service.id, keys, since);
    open.set(service.id, new Map(found.map((i) => [g.mode === 'content' ? i.group_key : null, { id: i.id, number: i.number, created: null }])));
  }
  for (const p of alerts) {
    const high = p.alert.urgency === 'high';
    const groupKey = groupKeyOf(p);
    const groups = open.get(p.service.id);
    const existing = groups?.get(groupKey);
    if (existing?.created) {
      existing.created.alertCount++;
      if (high) existing.created.urgency = 'high';
      incidentOf.push({ id: existing.id, number: null, joined: true });
    } else if (existing) {
      const join = joined.get(existing.id) ?? { id: existing.id, alerts: 0, high: false };
      join.alerts++;
      join.high ||= high;
      joined.set(existing.id, join);
      incidentOf.push({ id: existing.id, number: existing.number, joined: true });
    } else {
      const incident: NewIncident = { id: randomUUID(), serviceId: p.service.id, title: p.alert.signal.summary, urgency: p.alert.urgency, groupKey, alertCount: 1 };
      created.push(incident);
      groups?.set(groupKey, { id: incident.id, number: null, created: incident });
      incidentOf.push({ id: incident.id, number: null, joined: false });
    }
  }
  return { created, joined: [...joined.values()], incidentOf };
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

