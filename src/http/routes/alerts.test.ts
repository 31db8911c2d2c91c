import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

eachDatabase('alerts API', (kind) => {
  let h: Harness;
  let service: { id: string; key: string };
  before(async () => {
    h = await createHarness(kind);
    const { service: s } = (await h.request('POST', '/api/v1/services', { token: h.tokens.admin, body: { name: 'Payments' } })).json();
    service = { id: s.id, key: s.integrationKeys[0].key };
  });
  after(() => h.close());

  const fire = async (dedup_key: string, severity = 'critical') => {
    const res = await h.request('POST', '/v2/enqueue', {
      body: { routing_key: service.key, event_action: 'trigger', dedup_key, payload: { summary: `Alert ${dedup_key}`, source: 'host-1', severity } },
    });
    assert.equal(res.statusCode, 202);
    h.clock.advance(1000);
  };
  const list = async (query: string, token = h.tokens.observer) => {
    const res = await h.request('GET', `/api/v1/alerts?${query}`, { token });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { alerts: { id: string; number: number; dedupKey: string; status: string }[]; nextCursor: string | null };
  };

  it('lists newest first and pages with a cursor without skipping or repeating', async () => {
    for (let i = 0; i < 7; i++) await fire(`page-${i}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(`serviceId=${service.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.alerts.map((a) => a.dedupKey));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, Array.from({ length: 7 }, (_, i) => `page-${6 - i}`));
    const bad = await h.request('GET', '/api/v1/alerts?cursor=nonsense', { token: h.tokens.observer });
    assert.equal(bad.statusCode, 400);
    assert.equal(errorOf(bad).details!.fields![0]!.field, 'query.cursor');
  });

  it('filters by status and severity (repeated or comma-separated) and time', async () => {
    await fire('warn-1', 'warning');
    const warnings = await list('severity=warning');
    assert.deepEqual(warnings.alerts.map((a) => a.dedupKey), ['warn-1']);
    const both = await list('severity=warning,critical&limit=200');
    assert.ok(both.alerts.length >= 8);
    const since = new Date(h.clock.now().getTime() - 1500).toISOString();
    assert.deepEqual((await list(`since=${since}`)).alerts.map((a) => a.dedupKey), ['warn-1']);
    const invalid = await h.request('GET', '/api/v1/alerts?status=sleeping', { token: h.tokens.observer });
    assert.equal(invalid.statusCode, 400);
  });

  it('acknowledges and resolves one alert by number, logging who did it, audited', async () => {
    await fire('manual');
    const [alert] = (await list('limit=1')).alerts;
    const ack = await h.request('POST', `/api/v1/alerts/${alert!.number}/acknowledge`, { token: h.tokens.responder });
    assert.equal(ack.statusCode, 200);
    assert.equal(ack.json().changed[0].status, 'acknowledged');
    const again = await h.request('POST', `/api/v1/alerts/${alert!.id}/acknowledge`, { token: h.tokens.responder });
    assert.equal(again.json().changed.length, 0);
    assert.equal(again.json().unchanged.length, 1);
    const resolve = await h.request('POST', `/api/v1/alerts/${alert!.id}/resolve`, { token: h.tokens.responder });
    assert.equal(resolve.json().changed[0].status, 'resolved');

    const shown = (await h.request('GET', `/api/v1/alerts/${alert!.id}`, { token: h.tokens.observer })).json();
    assert.deepEqual(shown.events.map((e: { decision: string }) => e.decision), ['created', 'acknowledged', 'resolved']);
    assert.equal(shown.events[1].actorName, 'The responder');
    const audit = (await h.request('GET', `/api/v1/audit?entityType=alert&entityId=${alert!.id}`, { token: h.tokens.admin })).json();
    assert.deepEqual(audit.entries.map((e: { action: string }) => e.action).sort(), ['alert.acknowledge', 'alert.resolve']);
    const incident = (await h.request('GET', `/api/v1/incidents/${shown.alert.incidentId}`, { token: h.tokens.observer })).json();
    assert.equal(incident.incident.status, 'resolved');
  });

  it('resolves many at once; an unknown id fails the whole request and changes nothing', async () => {
    await fire('bulk-1');
    await fire('bulk-2');
    const open = (await list('status=triggered&limit=2')).alerts;
    const missing = await h.request('POST', '/api/v1/alerts/resolve', { token: h.tokens.responder, body: { ids: [open[0]!.id, '999999'] } });
    assert.equal(missing.statusCode, 404);
    assert.equal((await list('status=triggered&limit=2')).alerts.length, 2, 'nothing was resolved');
    const bulk = await h.request('POST', '/api/v1/alerts/resolve', { token: h.tokens.responder, body: { ids: open.map((a) => a.id) } });
    assert.equal(bulk.statusCode, 200);
    assert.equal(bulk.json().changed.length, 2);
    const empty = await h.request('POST', '/api/v1/alerts/resolve', { token: h.tokens.responder, body: { ids: [] } });
    assert.equal(empty.statusCode, 400);
  });

  it('lets observers read but not acknowledge (403), and strangers nothing (401)', async () => {
    const [alert] = (await list('status=triggered&limit=1')).alerts;
    const denied = await h.request('POST', `/api/v1/alerts/${alert!.id}/acknowledge`, { token: h.tokens.observer });
    assert.equal(denied.statusCode, 403);
    assert.equal(errorOf(denied).code, 'FORBIDDEN');
    assert.equal((await h.request('GET', `/api/v1/alerts/${alert!.id}`, { token: h.tokens.observer })).json().alert.status, 'triggered');
    assert.equal((await h.request('GET', '/api/v1/alerts')).statusCode, 401);
    assert.equal((await h.request('GET', '/api/v1/incidents')).statusCode, 401);
    assert.equal((await h.request('GET', '/api/v1/alerts/00000000-0000-4000-8000-000000000000', { token: h.tokens.observer })).statusCode, 404);
  });

  it('lists incidents newest first with their alerts', async () => {
    const { incidents } = (await h.request('GET', '/api/v1/incidents?status=triggered', { token: h.tokens.observer })).json();
    assert.ok(incidents.length >= 1);
    assert.ok(incidents.every((i: { status: string }) => i.status === 'triggered'));
    const numbers = incidents.map((i: { number: number }) => i.number);
    assert.deepEqual(numbers, [...numbers].sort((a: number, b: number) => b - a));
  });
});
