import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

const trigger = (routing_key: string, extra: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) => ({
  routing_key,
  event_action: 'trigger',
  payload: { summary: 'Disk 95% full on db-1', source: 'db-1', severity: 'critical', ...payload },
  ...extra,
});

eachDatabase('alert ingestion', (kind) => {
  let h: Harness;
  before(async () => {
    h = await createHarness(kind, { ingestRateLimitPerMinute: 100_000 });
  });
  after(() => h.close());

  const newService = async (name: string) => {
    const { service } = (await h.request('POST', '/api/v1/services', { token: h.tokens.admin, body: { name } })).json();
    return { id: service.id as string, key: service.integrationKeys[0].key as string };
  };
  const pd = (body: unknown) => h.request('POST', '/v2/enqueue', { body });
  const alertsOf = async (serviceId: string, query = '') =>
    (await h.request('GET', `/api/v1/alerts?serviceId=${serviceId}${query}`, { token: h.tokens.observer })).json().alerts as Record<string, any>[];
  const show = async (ref: string | number) => (await h.request('GET', `/api/v1/alerts/${ref}`, { token: h.tokens.observer })).json();

  describe('PagerDuty Events API v2', () => {
    it('answers 202 with the dedup key, collapses repeats into one alert and keeps every event in its log', async () => {
      const s = await newService('PD dedup');
      const first = await pd(trigger(s.key, { dedup_key: 'disk-db-1' }));
      assert.equal(first.statusCode, 202);
      assert.deepEqual(first.json(), { status: 'success', message: 'Event processed', dedup_key: 'disk-db-1' });
      for (let i = 0; i < 2; i++) assert.equal((await pd(trigger(s.key, { dedup_key: 'disk-db-1' }, { summary: `Disk ${96 + i}% full on db-1` }))).statusCode, 202);

      const alerts = await alertsOf(s.id);
      assert.equal(alerts.length, 1);
      assert.equal(alerts[0]!.count, 3);
      assert.equal(alerts[0]!.summary, 'Disk 97% full on db-1', 'a repeat refreshes the details');
      assert.equal(alerts[0]!.urgency, 'high');
      assert.ok(alerts[0]!.incidentNumber, 'a new alert opens an incident');
      const { events } = await show(alerts[0]!.id);
      assert.deepEqual(events.map((e: { decision: string }) => e.decision), ['created', 'deduplicated', 'deduplicated']);
      assert.equal(events[0].payload.payload.summary, 'Disk 95% full on db-1', 'the event is kept as received');
      assert.equal(events[0].payload.routing_key, undefined, 'but without its integration key, which observers may not see');

      h.clock.advance(1000);
      await pd(trigger(s.key, { dedup_key: 'disk-db-2' }));
      const [next] = await alertsOf(s.id);
      assert.equal(next!.number, alerts[0]!.number + 1, 'repeats do not use up alert numbers');
    });

    it('acknowledges and resolves by dedup key; after resolve the same key opens a new alert', async () => {
      const s = await newService('PD lifecycle');
      await pd(trigger(s.key, { dedup_key: 'k1' }));
      assert.equal((await pd({ routing_key: s.key, event_action: 'acknowledge', dedup_key: 'k1' })).statusCode, 202);
      assert.equal((await alertsOf(s.id))[0]!.status, 'acknowledged');
      assert.equal((await pd({ routing_key: s.key, event_action: 'resolve', dedup_key: 'k1' })).statusCode, 202);
      const [resolved] = await alertsOf(s.id);
      assert.equal(resolved!.status, 'resolved');
      const incident = (await h.request('GET', `/api/v1/incidents/${resolved!.incidentNumber}`, { token: h.tokens.observer })).json();
      assert.equal(incident.incident.status, 'resolved', 'the incident resolves with its only alert');

      // Stray ack/resolve after resolution: answered 202 as PagerDuty does, but logged as ignored.
      assert.equal((await pd({ routing_key: s.key, event_action: 'resolve', dedup_key: 'k1' })).statusCode, 202);
      const ignored = await h.database.db.selectFrom('alert_events').select(['decision', 'reason']).where('service_id', '=', s.id).where('decision', '=', 'ignored').execute();
      assert.equal(ignored.length, 1);
      assert.match(ignored[0]!.reason, /no open alert/);

      h.clock.advance(1000);
      await pd(trigger(s.key, { dedup_key: 'k1' }));
      const alerts = await alertsOf(s.id);
      assert.equal(alerts.length, 2);
      assert.deepEqual(alerts.map((a) => a.status), ['triggered', 'resolved']);
      assert.notEqual(alerts[0]!.incidentId, alerts[1]!.incidentId);
    });

    it('generates a dedup key for a trigger without one, so each such trigger is its own alert', async () => {
      const s = await newService('PD no key');
      const a = (await pd(trigger(s.key))).json().dedup_key;
      const b = (await pd(trigger(s.key))).json().dedup_key;
      assert.ok(a && b && a !== b);
      assert.equal((await alertsOf(s.id)).length, 2);
    });

    it('refuses invalid events with 400 and PagerDuty\'s error shape, and unknown keys as "Invalid routing key"', async () => {
      const invalid = await pd({ routing_key: 'short', event_action: 'trigger', payload: {} });
      assert.equal(invalid.statusCode, 400);
      assert.equal(invalid.json().status, 'invalid event');
      assert.equal(invalid.json().message, 'Event object is invalid');
      assert.ok(invalid.json().errors.length >= 2, 'every problem is listed');

      const unknown = await pd(trigger('0123456789abcdef0123456789abcdef'));
      assert.equal(unknown.statusCode, 400);
      assert.deepEqual(unknown.json().errors, ['Invalid routing key']);
      const logged = await h.database.db.selectFrom('alert_events').select(['decision', 'reason', 'payload']).where('service_id', 'is', null).execute();
      assert.ok(logged.some((e) => e.decision === 'ignored' && /unknown/.test(e.reason) && e.payload === null), 'logged without the stranger\'s body');

      const notJson = await h.request('POST', '/v2/enqueue', { body: '{"routing_key":', headers: { 'content-type': 'application/json' } });
      assert.equal(notJson.statusCode, 400);
      assert.equal(notJson.json().status, 'invalid event');
    });

    it('accepts 512 KB and answers 413 beyond it', async () => {
      const s = await newService('PD size');
      const big = (n: number) => trigger(s.key, {}, { custom_details: { blob: 'x'.repeat(n) } });
      assert.equal((await pd(big(400 * 1024))).statusCode, 202);
      const tooBig = await pd(big(600 * 1024));
      assert.equal(tooBig.statusCode, 413);
      assert.equal(tooBig.json().status, 'invalid event');
    });

    it('stores change events per service and never pages for them', async () => {
      const s = await newService('PD changes');
      const res = await h.request('POST', '/v2/change/enqueue', {
        body: { routing_key: s.key, payload: { summary: 'Deployed checkout v2.3.1', source: 'ci', custom_details: { build: 812 } }, links: [{ href: 'https://ci.example.com/812', text: 'Build' }] },
      });
      assert.equal(res.statusCode, 202);
      const changes = (await h.request('GET', `/api/v1/change-events?serviceId=${s.id}`, { token: h.tokens.observer })).json().changeEvents;
      assert.equal(changes.length, 1);
      assert.equal(changes[0].summary, 'Deployed checkout v2.3.1');
      assert.deepEqual(changes[0].details, { build: 812 });
      assert.equal((await alertsOf(s.id)).length, 0);

      // An incident opened soon after shows the change as a recent one.
      h.clock.advance(10 * 60_000);
      await pd(trigger(s.key));
      const [alert] = await alertsOf(s.id);
      const incident = (await h.request('GET', `/api/v1/incidents/${alert!.incidentId}`, { token: h.tokens.observer })).json();
      assert.deepEqual(incident.recentChanges.map((c: { summary: string }) => c.summary), ['Deployed checkout v2.3.1']);
    });
  });

  describe('dedup under concurrency', () => {
    it('keeps one open alert per key when many triggers arrive at once (group commit)', async () => {
      const s = await newService('Concurrent');
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => pd(trigger(s.key, { dedup_key: `k${i % 4}` }))));
      assert.ok(answers.every((r) => r.statusCode === 202));
      const alerts = await alertsOf(s.id);
      assert.equal(alerts.length, 4);
      assert.deepEqual(alerts.map((a) => a.count).sort(), [10, 10, 10, 10]);
      const events = await h.database.db.selectFrom('alert_events').select('decision').where('service_id', '=', s.id).execute();
      assert.equal(events.length, 40, 'every accepted event is in the log');
    });
  });

  describe('generic JSON events', () => {
    it('opens, deduplicates and resolves, answering with the decision', async () => {
      const s = await newService('Generic');
      const url = `/api/v1/integrations/${s.key}/events`;
      const fire = await h.request('POST', url, { body: { title: 'Queue backlog over 10k', dedup_key: 'backlog', severity: 'warning' } });
      assert.equal(fire.statusCode, 202);
      assert.equal(fire.json().decision, 'created');
      assert.equal((await h.request('POST', url, { body: { title: 'Queue backlog over 10k', dedup_key: 'backlog', severity: 'warning' } })).json().decision, 'deduplicated');
      const resolve = await h.request('POST', url, { body: { status: 'resolved', dedup_key: 'backlog' } });
      assert.equal(resolve.json().decision, 'resolved');
      const [alert] = await alertsOf(s.id);
      assert.equal(alert!.urgency, 'low', 'warning maps to low urgency by default');
    });

    it('answers 400 naming the field, and 404 for an unknown key', async () => {
      const s = await newService('Generic errors');
      const bad = await h.request('POST', `/api/v1/integrations/${s.key}/events`, { body: { severity: 'loud' } });
      assert.equal(bad.statusCode, 400);
      const fields = errorOf(bad).details!.fields!.map((f) => f.field);
      assert.ok(fields.includes('body.title'), fields.join());
      assert.ok(fields.includes('body.severity'), fields.join());
      const unknown = await h.request('POST', '/api/v1/integrations/0123456789abcdef0123456789abcdef/events', { body: { title: 'x' } });
      assert.equal(unknown.statusCode, 404);
      assert.equal(errorOf(unknown).code, 'NOT_FOUND');
    });
  });

  describe('Opsgenie Alert API', () => {
    it('counts repeats of an open alias and closes by alias; the request id tells what happened', async () => {
      const s = await newService('Opsgenie');
      const headers = { authorization: `GenieKey ${s.key}` };
      const create = () => h.request('POST', '/v2/alerts', { headers, body: { message: 'CPU high on web-3', alias: 'cpu-web-3', priority: 'P1' } });
      const first = await create();
      assert.equal(first.statusCode, 202);
      assert.equal(first.json().result, 'Request will be processed');
      await create();
      const [alert] = await alertsOf(s.id);
      assert.equal(alert!.count, 2);
      assert.equal(alert!.severity, 'critical');

      const status = await h.request('GET', `/v2/alerts/requests/${first.json().requestId}`, { headers });
      assert.equal(status.statusCode, 200);
      assert.equal(status.json().data.status, 'Created alert');
      assert.equal(status.json().data.alias, 'cpu-web-3');

      const close = await h.request('POST', '/v2/alerts/cpu-web-3/close?identifierType=alias', { headers, body: { user: 'ops', note: 'fixed' } });
      assert.equal(close.statusCode, 202);
      assert.equal((await alertsOf(s.id))[0]!.status, 'resolved');
    });

    it('acknowledges by alert id (identifierType defaults to id) and by tiny id (the alert number)', async () => {
      const s = await newService('Opsgenie ids');
      const headers = { authorization: `GenieKey ${s.key}` };
      await h.request('POST', '/v2/alerts', { headers, body: { message: 'one', alias: 'a1' } });
      await h.request('POST', '/v2/alerts', { headers, body: { message: 'two', alias: 'a2' } });
      const [two, one] = await alertsOf(s.id);
      assert.equal((await h.request('POST', `/v2/alerts/${one!.id}/acknowledge`, { headers })).statusCode, 202);
      assert.equal((await h.request('POST', `/v2/alerts/${two!.number}/acknowledge?identifierType=tiny`, { headers })).statusCode, 202);
      assert.deepEqual((await alertsOf(s.id)).map((a) => a.status), ['acknowledged', 'acknowledged']);
    });

    it('answers 401 without a valid GenieKey and 422 for an invalid body', async () => {
      const s = await newService('Opsgenie errors');
      assert.equal((await h.request('POST', '/v2/alerts', { body: { message: 'x' } })).statusCode, 401);
      assert.equal((await h.request('POST', '/v2/alerts', { headers: { authorization: 'GenieKey 0123456789abcdef0123456789abcdef' }, body: { message: 'x' } })).statusCode, 401);
      const invalid = await h.request('POST', '/v2/alerts', { headers: { authorization: `GenieKey ${s.key}` }, body: { description: 'no message' } });
      assert.equal(invalid.statusCode, 422);
      assert.ok(invalid.json().requestId);
    });
  });

  describe('Alertmanager webhook', () => {
    const group = (status: 'firing' | 'resolved', alerts: { fp: string; status: 'firing' | 'resolved'; name?: string }[]) => ({
      version: '4',
      groupKey: '{}:{alertname="HighLatency"}',
      truncatedAlerts: 0,
      status,
      receiver: 'vigil\\.webhook',
      groupLabels: { alertname: 'HighLatency' },
      commonLabels: { alertname: 'HighLatency' },
      commonAnnotations: {},
      externalURL: 'http://alertmanager.example:9093',
      alerts: alerts.map((a) => ({
        status: a.status,
        labels: { alertname: 'HighLatency', instance: a.name ?? a.fp, severity: 'critical' },
        annotations: { summary: `Latency high on ${a.name ?? a.fp}` },
        startsAt: '2026-03-02T08:59:00Z',
        endsAt: a.status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-03-02T09:05:00Z',
        generatorURL: 'http://prometheus.example/graph',
        fingerprint: a.fp,
      })),
    });

    it('keys each alert by fingerprint: repeats collapse, resolved ones resolve', async () => {
      const s = await newService('Alertmanager');
      const url = `/integrations/alertmanager/${s.key}`;
      const first = await h.request('POST', url, { body: group('firing', [{ fp: 'aaaa000000000001', status: 'firing' }, { fp: 'aaaa000000000002', status: 'firing' }]) });
      assert.equal(first.statusCode, 200);
      assert.deepEqual(first.json().alerts.map((a: { decision: string }) => a.decision), ['created', 'created']);
      const second = await h.request('POST', url, { body: group('firing', [{ fp: 'aaaa000000000001', status: 'resolved' }, { fp: 'aaaa000000000002', status: 'firing' }]) });
      assert.deepEqual(second.json().alerts.map((a: { decision: string }) => a.decision), ['resolved', 'deduplicated']);
      const alerts = await alertsOf(s.id);
      assert.deepEqual(alerts.map((a) => [a.dedupKey, a.status]).sort(), [['aaaa000000000001', 'resolved'], ['aaaa000000000002', 'triggered']]);
      assert.equal(alerts[0]!.groupKey, '{}:{alertname="HighLatency"}');
    });

    it('answers 404 for an unknown key, even with no alerts in the body', async () => {
      const empty = await h.request('POST', '/integrations/alertmanager/0123456789abcdef0123456789abcdef', { body: group('firing', []) });
      assert.equal(empty.statusCode, 404);
    });
  });

  describe('grouping, urgency and noise control', () => {
    it('groups alerts into one incident within the time window and opens a new one after it', async () => {
      const s = await newService('Grouped by time');
      await h.database.db.updateTable('services').set({ alert_grouping: JSON.stringify({ mode: 'time', windowMinutes: 10 }) }).where('id', '=', s.id).execute();
      await pd(trigger(s.key, { dedup_key: 'a' }));
      h.clock.advance(5 * 60_000);
      await pd(trigger(s.key, { dedup_key: 'b' }, { severity: 'warning' }));
      h.clock.advance(6 * 60_000);
      await pd(trigger(s.key, { dedup_key: 'c' }));
      const alerts = await alertsOf(s.id);
      const [c, b, a] = alerts;
      assert.equal(a!.incidentId, b!.incidentId);
      assert.notEqual(c!.incidentId, a!.incidentId);
      const incident = (await h.request('GET', `/api/v1/incidents/${a!.incidentId}`, { token: h.tokens.observer })).json();
      assert.equal(incident.incident.alertCount, 2);
      const log = await show(b!.id);
      assert.match(log.events[0].reason, /joined incident/);
    });

    it('groups by content on the chosen fields', async () => {
      const s = await newService('Grouped by content');
      await h.database.db.updateTable('services').set({ alert_grouping: JSON.stringify({ mode: 'content', fields: ['source'], windowMinutes: 0 }) }).where('id', '=', s.id).execute();
      await pd(trigger(s.key, { dedup_key: '1' }, { source: 'db-1' }));
      await pd(trigger(s.key, { dedup_key: '2' }, { source: 'db-2' }));
      await pd(trigger(s.key, { dedup_key: '3' }, { source: 'db-1' }));
      const bySource = new Map<string, Set<string>>();
      for (const a of await alertsOf(s.id)) bySource.set(a.source, (bySource.get(a.source) ?? new Set()).add(a.incidentId));
      assert.equal(bySource.get('db-1')!.size, 1);
      assert.notDeepEqual([...bySource.get('db-1')!], [...bySource.get('db-2')!]);
    });

    it('records alerts during a maintenance window as suppressed: no incident, the window named', async () => {
      const s = await newService('In maintenance');
      const now = h.clock.now();
      await h.database.db
        .insertInto('maintenance_windows')
        .values({ service_id: s.id, description: 'DB upgrade', starts_at: now, ends_at: new Date(now.getTime() + 3_600_000), created_by: 'test', created_at: now })
        .execute();
      await pd(trigger(s.key, { dedup_key: 'm' }));
      const [alert] = await alertsOf(s.id, '&suppressed=true');
      assert.equal(alert!.incidentId, null);
      assert.equal(alert!.suppressedBy.type, 'maintenance');
      const { events } = await show(alert!.id);
      assert.equal(events[0].decision, 'suppressed');
      assert.match(events[0].reason, /maintenance window "DB upgrade"/);
      h.clock.advance(2 * 3_600_000);
      await pd(trigger(s.key, { dedup_key: 'after' }));
      const paged = await alertsOf(s.id, '&suppressed=false');
      assert.equal(paged.length, 1, 'after the window, alerts page again');
    });

    it('suppresses alerts matching an active silence, and not after it expires', async () => {
      const s = await newService('Silenced');
      const now = h.clock.now();
      await h.database.db
        .insertInto('silences')
        .values({
          service_id: null,
          matchers: JSON.stringify([{ name: 'source', op: '=~', value: 'db-.*' }]),
          comment: 'known flapping',
          starts_at: now,
          ends_at: new Date(now.getTime() + 60_000),
          created_by: 'test',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await pd(trigger(s.key, { dedup_key: 's1' }, { source: 'db-7' }));
      await pd(trigger(s.key, { dedup_key: 's2' }, { source: 'web-7' }));
      const alerts = await alertsOf(s.id);
      const bySource = Object.fromEntries(alerts.map((a) => [a.source, a]));
      assert.equal(bySource['db-7']!.suppressedBy.type, 'silence');
      assert.equal(bySource['web-7']!.suppressedBy, null);
      h.clock.advance(2 * 60_000);
      await pd(trigger(s.key, { dedup_key: 's3' }, { source: 'db-8' }));
      assert.equal((await alertsOf(s.id, '&suppressed=false')).length, 2);
    });

    it('applies event rules: drop, set severity, route to another service — each visible in the log', async () => {
      const s = await newService('Rules source');
      const target = await newService('Rules target');
      const now = h.clock.now();
      const rule = (name: string, position: number, service_id: string | null, matchers: unknown, actions: unknown) => ({
        name,
        position,
        service_id,
        matchers: JSON.stringify(matchers),
        actions: JSON.stringify(actions),
        created_at: now,
        updated_at: now,
      });
      await h.database.db
        .insertInto('event_rules')
        .values([
          rule('route db alerts', 1, null, [{ name: 'component', op: '=', value: 'postgres' }, { name: 'service', op: '=', value: 'Rules source' }], { routeToServiceId: target.id }),
          rule('drop test noise', 1, s.id, [{ name: 'summary', op: '=~', value: '.*TEST.*' }], { drop: true }),
          rule('downgrade', 1, target.id, [{ name: 'severity', op: '=', value: 'critical' }], { severity: 'warning' }),
        ])
        .execute();
      const dropped = await pd(trigger(s.key, { dedup_key: 'noise' }, { summary: 'TEST please ignore' }));
      assert.equal(dropped.statusCode, 202);
      await pd(trigger(s.key, { dedup_key: 'db' }, { component: 'postgres' }));
      assert.equal((await alertsOf(s.id)).length, 0, 'the dropped event made no alert and the routed one moved');
      const [routed] = await alertsOf(target.id);
      assert.equal(routed!.severity, 'warning');
      assert.equal(routed!.urgency, 'low');
      const { events } = await show(routed!.id);
      assert.match(events[0].reason, /routed from Rules source to Rules target by event rule "route db alerts"/);
      assert.match(events[0].reason, /severity critical → warning by event rule "downgrade"/);
      const drop = await h.database.db.selectFrom('alert_events').select('reason').where('decision', '=', 'dropped').where('service_id', '=', s.id).execute();
      assert.deepEqual(drop.map((d) => d.reason), ['dropped by event rule "drop test noise"']);
    });

    it('lowers urgency outside support hours', async () => {
      const s = await newService('Support hours');
      await h.database.db
        .updateTable('services')
        .set({ urgency_rule: JSON.stringify({ supportHours: { timeZone: 'Europe/London', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', outsideHours: 'low' } }) })
        .where('id', '=', s.id)
        .execute();
      h.clock.set('2026-03-04T12:00:00Z'); // a Wednesday, noon in London
      await pd(trigger(s.key, { dedup_key: 'day' }));
      h.clock.set('2026-03-04T22:00:00Z');
      await pd(trigger(s.key, { dedup_key: 'night' }));
      const urgency = Object.fromEntries((await alertsOf(s.id)).map((a) => [a.dedupKey, a.urgency]));
      assert.deepEqual(urgency, { day: 'high', night: 'low' });
    });
  });

  describe('rate limits', () => {
    it('answers 429 with Retry-After per integration key, in the sender\'s shape, and nothing is stored', async () => {
      const limited = await createHarness(kind, { ingestRateLimitPerMinute: 2 });
      try {
        const { service } = (await limited.request('POST', '/api/v1/services', { token: limited.tokens.admin, body: { name: 'Limited' } })).json();
        const key = service.integrationKeys[0].key;
        const send = () => limited.request('POST', '/v2/enqueue', { body: trigger(key) });
        assert.equal((await send()).statusCode, 202);
        assert.equal((await send()).statusCode, 202);
        const third = await send();
        assert.equal(third.statusCode, 429);
        assert.equal(third.json().status, 'throttle event');
        assert.ok(Number(third.headers['retry-after']) >= 1);
        const count = await limited.database.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        assert.equal(Number(count.n), 2);
      } finally {
        await limited.close();
      }
    });
  });
});
