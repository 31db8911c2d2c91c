import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Database } from '../../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { applySignals, type IngestItem, type IngestResult } from './apply-signals.ts';
import type { AlertGrouping } from './grouping.ts';
import { emptySignal, type Severity } from './signal.ts';

// Group commit writes a batch set-wise (one update for every repeat, one insert for every new
// alert, one for every new incident), so it must mean exactly what the same events applied one
// transaction each would mean. These tests apply random event sequences both ways, each to a
// service of its own, and compare every decision, reason, alert, incident and log row.

const NOW = new Date('2026-03-02T09:00:00Z');

interface Step {
  action: 'trigger' | 'acknowledge' | 'resolve';
  key: string | null;
  severity: Severity;
  quiet: boolean;
  group: string;
}

const step: fc.Arbitrary<Step> = fc.record({
  action: fc.constantFrom('trigger', 'trigger', 'trigger', 'trigger', 'acknowledge', 'resolve'),
  key: fc.constantFrom('a', 'b', 'c', null),
  severity: fc.constantFrom('critical', 'warning'),
  quiet: fc.boolean(),
  group: fc.constantFrom('x', 'y'),
});
const grouping: fc.Arbitrary<AlertGrouping> = fc.constantFrom(
  { mode: 'none' },
  { mode: 'time', windowMinutes: 0 },
  { mode: 'time', windowMinutes: 30 },
  { mode: 'content', fields: ['group'], windowMinutes: 0 },
);

const items = (serviceId: string, steps: readonly Step[]): IngestItem[] =>
  steps.map((s, i) => ({
    target: { serviceId },
    signal: {
      ...emptySignal('generic', s.action === 'trigger' ? 'trigger' : s.action),
      // Acknowledge and resolve need a key; a keyless trigger gets one generated.
      dedupKey: s.action === 'trigger' ? s.key : (s.key ?? 'a'),
      summary: s.action === 'trigger' ? `event ${i}` : '',
      severity: s.severity,
      details: { step: i },
      labels: { group: s.group, ...(s.quiet ? { quiet: 'yes' } : {}) },
      raw: { step: i },
    },
  }));

/** Ids and numbers differ between the two services; name each by the order it first appears in. */
function normaliser() {
  const names = new Map<string, string>();
  const name = (kind: string, id: string | null) => {
    if (id === null) return null;
    if (!names.has(`${kind}:${id}`)) names.set(`${kind}:${id}`, `${kind}${[...names.keys()].filter((k) => k.startsWith(`${kind}:`)).length}`);
    return names.get(`${kind}:${id}`)!;
  };
  return { name };
}

async function snapshot(database: Database, serviceId: string, results: IngestResult[]) {
  const n = normaliser();
  const incidentNumbers = new Map<string, string>();
  const incidents = await database.db.selectFrom('incidents').selectAll().where('service_id', '=', serviceId).orderBy('number').execute();
  for (const i of incidents) incidentNumbers.set(String(i.number), n.name('incident', i.id)!);
  const reason = (r: string) => r.replace(/incident #(\d+)/g, (_, num: string) => `incident ${incidentNumbers.get(num)}`);
  const alerts = await database.db.selectFrom('alerts').selectAll().where('service_id', '=', serviceId).orderBy('number').execute();
  const generated = (key: string) => (/^[0-9a-f-]{36}$/.test(key) ? 'generated' : key);
  const events = await database.db.selectFrom('alert_events').selectAll().where('service_id', '=', serviceId).orderBy('id').execute();
  return {
    results: results.map((r) => ({
      decision: r.decision,
      reason: reason(r.reason),
      alert: n.name('alert', r.alertId),
      incident: n.name('incident', r.incidentId),
      dedupKey: r.dedupKey === null ? null : generated(r.dedupKey),
    })),
    alerts: alerts.map((a) => ({
      alert: n.name('alert', a.id),
      dedupKey: generated(a.dedup_key),
      status: a.status,
      count: a.count,
      summary: a.summary,
      severity: a.severity,
      urgency: a.urgency,
      details: a.details,
      suppressed: a.suppressed_by !== null,
      incident: n.name('incident', a.incident_id),
    })),
    incidents: incidents.map((i) => ({ incident: n.name('incident', i.id), status: i.status, urgency: i.urgency, alerts: i.alert_count, title: i.title, groupKey: i.group_key })),
    events: events.map((e) => ({ decision: e.decision, reason: reason(e.reason), alert: n.name('alert', e.alert_id), payload: e.payload })),
  };
}

eachDatabase('a batch means what its events mean one by one', (kind) => {
  let database: Database;
  let services = 0;
  const newService = async (g: AlertGrouping) =>
    (
      await database.db
        .insertInto('services')
        .values({ name: `service ${services++}`, alert_grouping: JSON.stringify(g), created_at: NOW, updated_at: NOW })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

  before(async () => {
    database = await createTestDatabase(kind);
    await database.db
      .insertInto('silences')
      .values({
        matchers: JSON.stringify([{ name: 'quiet', op: '=', value: 'yes' }]),
        comment: 'quiet ones',
        starts_at: new Date(NOW.getTime() - 60_000),
        ends_at: new Date(NOW.getTime() + 3_600_000),
        created_by: 'test',
        created_at: NOW,
        updated_at: NOW,
      })
      .execute();
  });
  after(() => database.close());

  it('random sequences of triggers, acknowledges and resolves: same decisions, alerts, incidents and log', async () => {
    await fc.assert(
      fc.asyncProperty(grouping, fc.array(step, { minLength: 1, maxLength: 24 }), async (g, steps) => {
        const batched = await newService(g);
        const single = await newService(g);
        const batchResults = await database.db.transaction().execute((tx) => applySignals(tx, NOW, items(batched, steps)));
        const singleResults: IngestResult[] = [];
        for (const item of items(single, steps)) {
          singleResults.push(...(await database.db.transaction().execute((tx) => applySignals(tx, NOW, [item]))));
        }
        assert.deepEqual(await snapshot(database, batched, batchResults), await snapshot(database, single, singleResults));
      }),
      { numRuns: kind === 'pglite' ? 40 : 25 },
    );
  });

  it('a trigger, its repeats, a resolve and a trigger again in one batch: two alerts, counts and reasons in order', async () => {
    const serviceId = await newService({ mode: 'none' });
    const steps: Step[] = ['trigger', 'trigger', 'trigger', 'resolve', 'trigger', 'trigger'].map((action) => ({
      action: action as Step['action'],
      key: 'disk',
      severity: 'critical',
      quiet: false,
      group: 'x',
    }));
    const results = await database.db.transaction().execute((tx) => applySignals(tx, NOW, items(serviceId, steps)));
    assert.deepEqual(
      results.map((r) => [r.decision, r.reason.replace(/#\d+ \(/, '#N (')]),
      [
        ['created', 'opened incident #N (high urgency)'],
        ['deduplicated', 'repeat #2 of an open triggered alert'],
        ['deduplicated', 'repeat #3 of an open triggered alert'],
        ['resolved', 'resolved by generic'],
        ['created', 'opened incident #N (high urgency)'],
        ['deduplicated', 'repeat #2 of an open triggered alert'],
      ],
    );
    const alerts = await database.db.selectFrom('alerts').select(['status', 'count', 'summary']).where('service_id', '=', serviceId).orderBy('number').execute();
    assert.deepEqual(alerts, [
      { status: 'resolved', count: 3, summary: 'event 2' },
      { status: 'triggered', count: 2, summary: 'event 5' },
    ]);
  });

  it('new alerts of one group in one batch open one incident, counted and raised to high urgency', async () => {
    const serviceId = await newService({ mode: 'content', fields: ['group'], windowMinutes: 0 });
    const steps: Step[] = [
      { action: 'trigger', key: 'a', severity: 'warning', quiet: false, group: 'x' },
      { action: 'trigger', key: 'b', severity: 'warning', quiet: false, group: 'y' },
      { action: 'trigger', key: 'c', severity: 'critical', quiet: false, group: 'x' },
    ];
    const results = await database.db.transaction().execute((tx) => applySignals(tx, NOW, items(serviceId, steps)));
    assert.deepEqual(
      results.map((r) => r.reason.split(' incident')[0]),
      ['opened', 'opened', 'joined'],
    );
    assert.equal(results[0]!.incidentId, results[2]!.incidentId);
    const incidents = await database.db.selectFrom('incidents').select(['urgency', 'alert_count']).where('service_id', '=', serviceId).orderBy('number').execute();
    assert.deepEqual(incidents, [
      { urgency: 'high', alert_count: 2 },
      { urgency: 'low', alert_count: 1 },
    ]);
  });

  it('writes 200 triggers, and then 300 acknowledges and resolves, in a fixed number of statements each', async () => {
    const serviceId = await newService({ mode: 'time', windowMinutes: 0 });
    const steps: Step[] = Array.from({ length: 200 }, (_, i) => ({ action: 'trigger', key: `k${i}`, severity: 'critical', quiet: i % 2 === 0, group: 'x' }));
    let statements = 0;
    const counted = database.db.withPlugin({
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    await counted.transaction().execute((tx) => applySignals(tx, NOW, items(serviceId, steps)));
    // Reads (keys, services, rules, windows, silences), the grouping lock, the repeat update, the
    // incident look-up and insert, the alert insert, the log insert and the notify.
    assert.ok(statements <= 10, `${statements} statements for 200 triggers`);
    const open = await sql<{ n: number }>`select count(*)::int as n from alerts where service_id = ${serviceId}`.execute(database.db);
    assert.equal(open.rows[0]!.n, 200);

    // Then Alertmanager's kind of resolve: 200 alerts in one post, half acknowledged first.
    statements = 0;
    const closing: Step[] = steps.flatMap((s, i) => [...(i % 2 ? [{ ...s, action: 'acknowledge' as const }] : []), { ...s, action: 'resolve' as const }]);
    const results = await counted.transaction().execute((tx) => applySignals(tx, NOW, items(serviceId, closing)));
    // One of them records the incident's webhook events (one insert … select, whatever the batch).
    assert.ok(statements <= 9, `${statements} statements for ${closing.length} acknowledges and resolves`);
    assert.equal(results.filter((r) => r.decision === 'resolved').length, 200);
    const left = await sql<{ n: number }>`select count(*)::int as n from alerts where service_id = ${serviceId} and status <> 'resolved'`.execute(database.db);
    assert.equal(left.rows[0]!.n, 0);
    const incident = await database.db.selectFrom('incidents').select(['status', 'alert_count']).where('service_id', '=', serviceId).executeTakeFirstOrThrow();
    assert.deepEqual(incident, { status: 'resolved', alert_count: 100 }, 'time grouping: the unsuppressed half in one incident, now resolved');
  });
});
