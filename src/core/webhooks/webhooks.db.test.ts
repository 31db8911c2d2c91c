import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, it } from 'node:test';
import { applySignals, emptySignal } from '../alerts/index.ts';
import { createPolicy, escalateIncident, escalationJobs, setServicePolicy } from '../escalation/index.ts';
import { acknowledgeIncident, resolveIncident } from '../incidents/index.ts';
import { createService } from '../services/index.ts';
import { FakeClock } from '../shared/clock.ts';
import { type Ctx, systemActor } from '../shared/context.ts';
import { createUser } from '../users/index.ts';
import { createEngine, type Engine } from '../../engine/index.ts';
import { memoryLogger } from '../../engine/testing/harness.ts';
import { sendWebhook } from '../../integrations/webhook/outbound.ts';
import type { Database } from '../../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { createWebhook, listDeliveries, MAX_ATTEMPTS, redeliver, rotateWebhookSecret, testWebhook, updateWebhook, webhookJobs } from './index.ts';

// Emission inside the business transaction and delivery to a real local HTTP receiver that checks
// each signature with the secret the create call returned.
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, any>;
}
const received: Received[] = [];
/** Statuses the receiver answers with, in order; 204 once they run out. */
const answers: { status: number; headers?: Record<string, string> }[] = [];
let receiver: Server;
let base: string;

before(async () => {
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) });
      const answer = answers.shift() ?? { status: 204 };
      res.writeHead(answer.status, answer.headers).end(answer.status >= 400 ? `nope ${'x'.repeat(3000)}` : undefined);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

/** What a receiver does: recompute v1 over "<t>.<raw body>" with its secret, compare, check the age. */
function verify(r: Received, secret: string, now: Date): boolean {
  const header = String(r.headers['x-vigil-signature']);
  const parts = header.split(',').map((p) => p.split('=') as [string, string]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (Math.abs(now.getTime() / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${r.raw}`).digest('hex');
  return parts.some(([k, v]) => k === 'v1' && v === expected);
}

eachDatabase('outgoing webhooks', (kind) => {
  let database: Database;
  let engine: Engine;
  let clock: FakeClock;
  let system: Ctx;
  beforeEach(async () => {
    received.length = 0;
    answers.length = 0;
    database = await createTestDatabase(kind);
    clock = new FakeClock('2026-03-02T03:00:00Z');
    system = { db: database.db, clock, actor: systemActor('test') };
    engine = createEngine({ database, clock, handlers: [escalationJobs, webhookJobs(sendWebhook, { publicUrl: 'https://vigil.example.com/', version: '9.9.9' })], logger: memoryLogger(), random: () => 0 });
  });
  afterEach(async () => {
    await engine.stop();
    await database.close();
  });

  const trigger = async (serviceId: string, dedupKey: string) => {
    const results = await database.db.transaction().execute((tx) =>
      applySignals(tx, clock.now(), [{ target: { serviceId }, signal: { ...emptySignal('generic', 'trigger'), dedupKey, summary: `Down: ${dedupKey}`, severity: 'critical' } }]),
    );
    return results[0]!.incidentId!;
  };
  const resolve = (serviceId: string, dedupKey: string) =>
    database.db.transaction().execute((tx) => applySignals(tx, clock.now(), [{ target: { serviceId }, signal: { ...emptySignal('generic', 'resolve'), dedupKey } }]));
  const deliveries = () =>
    database.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
      .select(['d.id', 'd.subscription_id', 'd.status', 'd.attempts', 'd.last_status_code', 'd.last_error', 'd.response_excerpt', 'd.next_attempt_at', 'e.type', 'e.incident_id'])
      .orderBy('d.seq')
      .execute();

  it('writes one delivery per matching enabled subscription, honouring the service and event filters', async () => {
    const a = await createService(system, { name: 'A' });
    const b = await createService(system, { name: 'B' });
    const all = await createWebhook(system, { url: `${base}/all` });
    const onA = await createWebhook(system, { url: `${base}/a`, serviceId: a.id });
    const onB = await createWebhook(system, { url: `${base}/b`, serviceId: b.id });
    const resolvedOnA = await createWebhook(system, { url: `${base}/a-resolved`, serviceId: a.id, events: ['incident.resolved'] });
    await createWebhook(system, { url: `${base}/off`, enabled: false });

    // Two alerts in one batch opening two incidents on A: one statement, one delivery each.
    await database.db.transaction().execute((tx) =>
      applySignals(
        tx,
        clock.now(),
        ['x', 'y'].map((k) => ({ target: { serviceId: a.id }, signal: { ...emptySignal('generic', 'trigger'), dedupKey: k, summary: k, severity: 'critical', group: k } })),
      ),
    );
    let rows = await deliveries();
    assert.equal(rows.length, 4);
    assert.deepEqual(new Set(rows.map((r) => r.subscription_id)), new Set([all.webhook.id, onA.webhook.id]));
    assert.ok(rows.every((r) => r.type === 'incident.triggered' && r.status === 'queued'));
    const jobs = await database.db.selectFrom('jobs').select(['key']).where('kind', '=', 'webhook.deliver').execute();
    assert.deepEqual(new Set(jobs.map((j) => j.key)), new Set(rows.map((r) => `webhook:${r.id}`)));

    await resolve(a.id, 'x');
    rows = (await deliveries()).filter((r) => r.type === 'incident.resolved');
    assert.deepEqual(new Set(rows.map((r) => r.subscription_id)), new Set([all.webhook.id, onA.webhook.id, resolvedOnA.webhook.id]));
    assert.equal(rows.length, 3);
    assert.ok(!(await deliveries()).some((r) => r.subscription_id === onB.webhook.id));

    // Nothing subscribed to B's events but the global one: an event nobody wants is not stored.
    await updateWebhook(system, all.webhook.id, { enabled: false });
    await trigger(b.id, 'z');
    assert.equal((await deliveries()).filter((r) => r.subscription_id === onB.webhook.id).length, 1);
    await updateWebhook(system, onB.webhook.id, { events: ['incident.acknowledged'] });
    const before = await database.db.selectFrom('webhook_events').select('id').execute();
    await trigger(b.id, 'w');
    assert.equal((await database.db.selectFrom('webhook_events').select('id').execute()).length, before.length);
  });

  it('delivers signed, with the incident and event headers, verified with the secret from the create response', async () => {
    const service = await createService(system, { name: 'Payments' });
    const { webhook, secret } = await createWebhook(system, { url: `${base}/hook`, description: 'ops bridge' });
    assert.match(secret, /^vigil_whsec_[A-Za-z0-9_-]{43}$/);
    const incidentId = await trigger(service.id, 'p');
    await engine.drain();
    assert.equal(received.length, 1);
    const r = received[0]!;
    assert.ok(verify(r, secret, clock.now()), 'the signature verifies with the secret');
    assert.ok(!verify(r, 'vigil_whsec_wrong', clock.now()));
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['user-agent'], 'Vigil/9.9.9');
    assert.equal(r.body.type, 'incident.triggered');
    assert.equal(r.headers['x-vigil-event-id'], r.body.id);
    assert.equal(r.headers['idempotency-key'], r.body.id);
    assert.equal(r.body.occurredAt, '2026-03-02T03:00:00.000Z');
    const { number } = await database.db.selectFrom('incidents').select('number').where('id', '=', incidentId).executeTakeFirstOrThrow();
    assert.deepEqual(r.body.incident, {
      id: incidentId,
      number,
      title: 'Down: p',
      status: 'triggered',
      urgency: 'high',
      url: `https://vigil.example.com/incidents/${number}`,
      service: { id: service.id, name: 'Payments' },
    });
    assert.deepEqual(r.body.data, {});
    const log = await listDeliveries(system, webhook.id);
    assert.equal(log.deliveries.length, 1);
    const d = log.deliveries[0]!;
    assert.equal(r.headers['x-vigil-delivery-id'], d.id);
    assert.equal(d.status, 'delivered');
    assert.equal(d.attempts, 1);
    assert.equal(d.lastStatusCode, 204);
    assert.equal(d.eventType, 'incident.triggered');
    assert.ok(d.deliveredAt);
    assert.ok(d.durationMs !== null && d.durationMs >= 0);

    // Rotation: the new secret signs, and the old one still does for a day.
    const rotated = await rotateWebhookSecret(system, webhook.id);
    assert.notEqual(rotated.secret, secret);
    await testWebhook(system, webhook.id);
    await engine.drain();
    const ping = received[1]!;
    assert.equal(ping.body.type, 'vigil.ping');
    assert.equal(ping.body.incident, null);
    assert.ok(verify(ping, rotated.secret, clock.now()));
    assert.ok(verify(ping, secret, clock.now()));
    clock.advance(25 * 60 * 60_000);
    await testWebhook(system, webhook.id);
    await engine.drain();
    assert.ok(verify(received[2]!, rotated.secret, clock.now()));
    assert.ok(!verify(received[2]!, secret, clock.now()), 'the old secret stops signing after 24 h');
  });

  it('retries after a 500 and is then delivered; a 410 fails at once; redeliver sends the event again', async () => {
    const service = await createService(system, { name: 'Db' });
    const { webhook } = await createWebhook(system, { url: `${base}/flaky` });
    answers.push({ status: 500 });
    await trigger(service.id, 'db');
    await engine.drain();
    let [d] = await deliveries();
    assert.equal(d!.status, 'queued');
    assert.equal(d!.attempts, 1);
    assert.equal(d!.last_status_code, 500);
    assert.equal(d!.last_error, 'answered 500');
    assert.ok(d!.response_excerpt!.length <= 500 && d!.response_excerpt!.startsWith('nope'), 'only a short excerpt is kept');
    assert.equal(d!.next_attempt_at!.getTime() >= clock.now().getTime() + 30_000, true);
    clock.advance(29_000);
    await engine.drain();
    assert.equal(received.length, 1, 'no retry before the backoff');
    clock.advance(10_000);
    await engine.drain();
    assert.equal(received.length, 2);
    [d] = await deliveries();
    assert.equal(d!.status, 'delivered');
    assert.equal(d!.attempts, 2);
    assert.equal(d!.last_error, null);
    assert.equal(received[0]!.body.id, received[1]!.body.id, 'a retry is the same event');

    answers.push({ status: 410 });
    await resolve(service.id, 'db');
    await engine.drain();
    const gone = (await deliveries()).find((x) => x.type === 'incident.resolved')!;
    assert.equal(gone.status, 'failed');
    assert.equal(gone.attempts, 1);
    assert.equal(gone.last_status_code, 410);
    assert.equal((await database.db.selectFrom('jobs').select('id').where('kind', '=', 'webhook.deliver').execute()).length, 0, 'no retry is left pending');

    const again = await redeliver(system, webhook.id, gone.id);
    assert.equal(again.redeliveryOf, gone.id);
    await engine.drain();
    assert.equal(received.length, 4);
    assert.equal(received[3]!.body.id, received[2]!.body.id);
    assert.equal(received[3]!.headers['x-vigil-delivery-id'], again.id);
    const log = await listDeliveries(system, webhook.id, { limit: 2 });
    assert.deepEqual(log.deliveries.map((x) => [x.id, x.status]), [[again.id, 'delivered'], [gone.id, 'failed']]);
    assert.ok(log.nextCursor);
    const rest = await listDeliveries(system, webhook.id, { limit: 2, cursor: log.nextCursor! });
    assert.deepEqual(rest.deliveries.map((x) => x.eventType), ['incident.triggered']);
    assert.equal(rest.nextCursor, null);
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts, honours Retry-After, and retries network errors`, async () => {
    const service = await createService(system, { name: 'Q' });
    await createWebhook(system, { url: `${base}/busy` });
    answers.push({ status: 429, headers: { 'retry-after': '600' } });
    for (let i = 1; i < MAX_ATTEMPTS; i++) answers.push({ status: 503 });
    await trigger(service.id, 'q');
    await engine.drain();
    let [d] = await deliveries();
    assert.equal(d!.next_attempt_at!.getTime(), clock.now().getTime() + 600_000, 'Retry-After: 600 is waited out');
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      clock.advance(40 * 60_000);
      await engine.drain();
    }
    [d] = await deliveries();
    assert.equal(received.length, MAX_ATTEMPTS);
    assert.equal(d!.status, 'failed');
    assert.equal(d!.attempts, MAX_ATTEMPTS);
    assert.equal(d!.last_status_code, 503);

    // Nobody listening: a network error is retried like a 5xx.
    const { webhook } = await createWebhook(system, { url: 'http://127.0.0.1:1/closed' });
    await testWebhook(system, webhook.id);
    await engine.drain();
    const [refused] = (await listDeliveries(system, webhook.id)).deliveries;
    assert.equal(refused!.status, 'queued');
    assert.equal(refused!.lastStatusCode, null);
    assert.match(refused!.lastError!, /fetch failed|ECONNREFUSED/);
  });

  it('emits incident.acknowledged and incident.resolved when a person acknowledges and resolves, once each', async () => {
    const service = await createService(system, { name: 'Manual' });
    const { webhook } = await createWebhook(system, { url: `${base}/people`, events: ['incident.acknowledged', 'incident.resolved'] });
    const incidentId = await trigger(service.id, 'm');
    await acknowledgeIncident(system, incidentId);
    await acknowledgeIncident(system, incidentId);
    await resolveIncident(system, incidentId);
    await engine.drain();
    assert.deepEqual(received.map((r) => [r.body.type, r.body.incident.status]), [['incident.acknowledged', 'acknowledged'], ['incident.resolved', 'resolved']]);
    assert.equal((await listDeliveries(system, webhook.id)).deliveries.length, 2);
  });

  it('emits incident.escalated when a step pages, manual escalation included', async () => {
    const ana = await createUser(system, { email: 'ana@example.com', name: 'Ana', role: 'responder' });
    const service = await createService(system, { name: 'Paged' });
    const policy = await createPolicy(system, { name: 'P', levels: [{ delayMinutes: 10, targets: [{ type: 'user', id: ana.id }] }, { delayMinutes: 10, targets: [{ type: 'user', id: ana.id }] }] });
    await setServicePolicy(system, service.id, policy.id);
    await createWebhook(system, { url: `${base}/esc`, events: ['incident.escalated'] });
    const incidentId = await trigger(service.id, 'e');
    await engine.drain();
    await engine.drain();
    assert.deepEqual(received.map((r) => [r.body.type, r.body.data.level, r.body.data.userIds]), [['incident.escalated', 0, [ana.id]]]);
    await escalateIncident(system, incidentId, {});
    await engine.drain();
    assert.equal(received.length, 2);
    assert.equal(received[1]!.body.data.level, 1);
    assert.ok(received[1]!.body.data.manual);
  });
});
