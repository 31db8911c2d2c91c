import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import { FakeClock } from '../src/core/shared/clock.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { codeIn, type Delivery, inboxOf, type Receivers, startReceivers } from './support/receivers.ts';

// Paging scenarios against the real server and engine in this process, on a fake clock that the
// test moves minute by minute, with every message recorded where it arrives: a real SMTP listener,
// a webhook receiver, a Slack API stand-in and a Twilio stand-in. Each person's methods are added
// and verified through the API with the code each channel delivered; the alert comes in through the
// ingest API. Assertions are on each person's exact list of messages and the minute each arrived.

const MINUTE = 60_000;
const LEVEL_DELAY = 10;
const PASSWORD = 'a long enough password';

describe('paging scenarios: who gets what, and when', () => {
  const clock = new FakeClock('2026-03-02T03:00:00Z');
  const adminToken = randomBytes(24).toString('hex');
  let receivers: Receivers;
  let server: RunningServer;
  let dataDir: string;
  let base: string;
  let integrationKey: string;
  // Primary on call (user 1) and secondary (user 2), with their addresses.
  const ana = { email: 'ana@example.com', phone: '+14155550101', id: '', cookie: '' };
  const ben = { email: 'ben@example.com', phone: '+14155550102', slackId: 'U0BEN00001', hookPath: '/ben-bridge', id: '' };

  async function api(method: string, path: string, body?: unknown, auth: Record<string, string> = { authorization: `Bearer ${adminToken}` }): Promise<any> {
    const res = await fetch(`${base}${path.startsWith('/v2/') ? '' : '/api/v1'}${path}`, {
      method,
      headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** Runs everything due at the clock's time until nothing is due or running (the engine's own loop runs too). */
  async function settle(): Promise<void> {
    for (let i = 0; i < 500; i++) {
      await server.engine.drain();
      const { n } = await sql<{ n: number }>`select count(*)::int as n from jobs where failed_at is null and (run_at <= ${clock.now()} or locked_by is not null)`
        .execute(server.database.db)
        .then((r) => r.rows[0]!);
      if (n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.fail('the engine did not settle');
  }

  /** Moves the fake clock a minute at a time, letting the engine catch up after each. */
  async function forward(minutes: number): Promise<void> {
    for (let i = 0; i < minutes; i++) {
      clock.advance(MINUTE);
      await settle();
    }
  }

  /** Adds a method for a person, reads the code from what the channel delivered, and enters it. */
  async function verifiedMethod(userId: string, type: string, address: string, inbox: () => Delivery[]): Promise<string> {
    const { contactMethod } = await api('POST', `/users/${userId}/contact-methods`, { type, label: type, address });
    await settle();
    const sent = inbox().filter((d) => d.via === (type === 'webhook' ? 'webhook' : type));
    assert.equal(sent.length, 1, `one code through ${type}: ${JSON.stringify(sent)}`);
    const code = codeIn(sent[0]!.content);
    assert.ok(code, `a code in ${sent[0]!.content}`);
    const verified = await api('POST', `/users/${userId}/contact-methods/${contactMethod.id}/verify`, { code });
    assert.equal(verified.contactMethod.verified, true);
    return contactMethod.id;
  }

  const rule = (userId: string, contactMethodId: string, delayMinutes: number, urgency = 'high') =>
    api('POST', `/users/${userId}/notification-rules`, { contactMethodId, urgency, delayMinutes });

  before(async () => {
    receivers = await startReceivers(() => clock.now());
    dataDir = await mkdtemp(join(tmpdir(), 'vigil-paging-scenarios-'));
    server = await startServer({
      clock,
      env: {
        VIGIL_DATA_DIR: dataDir,
        VIGIL_PORT: '0',
        VIGIL_HOST: '127.0.0.1',
        VIGIL_LOG_LEVEL: 'silent',
        VIGIL_PUBLIC_URL: 'https://vigil.example.com',
        VIGIL_BOOTSTRAP_TOKEN: adminToken,
        VIGIL_ADMIN_EMAIL: 'admin@example.com',
        VIGIL_ADMIN_PASSWORD: 'correct horse battery staple',
        // No shift notices: only pages reach people here.
        VIGIL_HANDOFF_NOTICE_MINUTES: '0',
        ...receivers.env,
      },
    });
    // Links name the public URL; requests go to the port it listens on.
    base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    ana.id = (await api('POST', '/users', { email: ana.email, name: 'Ana', role: 'responder', timeZone: 'UTC', password: PASSWORD })).user.id;
    ben.id = (await api('POST', '/users', { email: ben.email, name: 'Ben', role: 'responder', timeZone: 'UTC', password: PASSWORD })).user.id;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ana.email, password: PASSWORD }) });
    assert.equal(login.status, 200);
    ana.cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;

    // Ana: email at once, SMS after 2 minutes. Ben: Slack and SMS at once, voice after 5; his
    // webhook only for low urgency.
    const anaInbox = () => inboxOf(receivers, ana);
    const benInbox = () => inboxOf(receivers, ben);
    await rule(ana.id, await verifiedMethod(ana.id, 'email', ana.email, anaInbox), 0);
    await rule(ana.id, await verifiedMethod(ana.id, 'sms', ana.phone, anaInbox), 2);
    await rule(ben.id, await verifiedMethod(ben.id, 'slack', ben.slackId, benInbox), 0);
    await rule(ben.id, await verifiedMethod(ben.id, 'sms', ben.phone, benInbox), 0);
    await rule(ben.id, await verifiedMethod(ben.id, 'voice', ben.phone, benInbox), 5);
    await rule(ben.id, await verifiedMethod(ben.id, 'webhook', receivers.hookUrl(ben.hookPath), benInbox), 0, 'low');
    // Ana also has a voice method she never verified, in a rule at 0: it must never be paged.
    const unverified = await api('POST', `/users/${ana.id}/contact-methods`, { type: 'voice', label: 'Unverified phone', address: ana.phone });
    await settle();
    await rule(ana.id, unverified.contactMethod.id, 0);

    const schedule = async (name: string, userId: string) =>
      (
        await api('POST', '/schedules', {
          name,
          timeZone: 'UTC',
          layers: [{ id: 'only', name: 'Only', participants: [userId], rotation: { unit: 'week', length: 1 }, handoff: { date: '2026-02-23', time: '09:00' }, start: '2026-02-01T00:00:00Z' }],
        })
      ).schedule.id as string;
    const primary = await schedule('Payments primary', ana.id);
    const secondary = await schedule('Payments secondary', ben.id);
    const { policy } = await api('POST', '/escalation-policies', {
      name: 'Payments',
      levels: [
        { delayMinutes: LEVEL_DELAY, targets: [{ type: 'schedule', id: primary }] },
        { delayMinutes: LEVEL_DELAY, targets: [{ type: 'schedule', id: secondary }] },
      ],
    });
    const { service } = await api('POST', '/services', { name: 'Payments' });
    await api('PUT', `/services/${service.id}/escalation-policy`, { policyId: policy.id });
    integrationKey = service.integrationKeys[0].key;
  });

  after(async () => {
    await server?.close();
    await receivers?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  beforeEach(() => receivers.clear());

  /** An alert through the real ingest API; returns the incident and the time it came in. */
  async function trigger(dedupKey: string, summary: string): Promise<{ incidentId: string; number: number; t0: number }> {
    const t0 = clock.now().getTime();
    const r = await api('POST', '/v2/enqueue', { routing_key: integrationKey, event_action: 'trigger', dedup_key: dedupKey, payload: { summary, source: 'db-1', severity: 'critical' } }, {});
    assert.equal(r.status, 'success', JSON.stringify(r));
    const { incidents } = await api('GET', '/incidents?status=triggered&limit=1');
    const incident = incidents[0];
    assert.equal(incident.title, summary);
    await settle();
    return { incidentId: incident.id, number: incident.number, t0 };
  }

  /** A person's messages as `T+Nm via`, the minutes counted from the alert. */
  const timeline = (t0: number, inbox: Delivery[]) => inbox.map((d) => `T+${(d.at.getTime() - t0) / MINUTE}m ${d.via}`);

  it('pages the primary by email at once and SMS at T+2m, then the secondary on Slack and SMS at the level delay and by voice 5 minutes later', async () => {
    const { incidentId, number, t0 } = await trigger('disk-db-1', 'Disk 95% full on db-1');
    await forward(LEVEL_DELAY - 1);
    assert.deepEqual(timeline(t0, inboxOf(receivers, ben)), [], `nothing for the secondary before T+${LEVEL_DELAY}m`);
    await forward(3 * LEVEL_DELAY + 1);

    assert.deepEqual(timeline(t0, inboxOf(receivers, ana)), ['T+0m email', 'T+2m sms'], 'no call through the unverified voice method');
    assert.deepEqual(timeline(t0, inboxOf(receivers, ben)), [`T+${LEVEL_DELAY}m slack`, `T+${LEVEL_DELAY}m sms`, `T+${LEVEL_DELAY + 5}m voice`]);

    const url = `https://vigil.example.com/incidents/${number}`;
    const [email, anaSms] = inboxOf(receivers, ana);
    assert.equal(email!.content, `[Vigil] #${number} Disk 95% full on db-1 (high urgency, Payments)`);
    assert.equal(anaSms!.content, `Vigil #${number} high: Disk 95% full on db-1 ${url}`);
    const slack = receivers.slack.at(-1)!;
    assert.equal(slack.headers.authorization, 'Bearer xoxb-scenario-bot-token');
    assert.match(String(slack.headers['idempotency-key']), new RegExp(`^${incidentId}:1:0:${ben.id}:`), 'the page key goes along');
    assert.match(JSON.stringify(slack.blocks), new RegExp(`<${url}\\|Open incident>`));
    const [benSms, call] = receivers.phone.filter((p) => p.to === ben.phone);
    assert.equal(benSms!.content, anaSms!.content);
    const said = `<Say>Vigil #${number} high: Disk 95% full on db-1</Say>`;
    assert.equal(call!.content, `<Response>${said}<Pause length="1"/>${said}</Response>`);
    assert.equal(receivers.hooks.length, 0, 'the low-urgency webhook got no high-urgency page');

    const log = await api('GET', `/incidents/${incidentId}/notifications`);
    assert.deepEqual(log.notifications.map((n: { status: string }) => n.status), ['sent', 'sent', 'sent', 'sent', 'sent']);
    await api('POST', `/incidents/${incidentId}/resolve`);
  });

  it('sends nothing more once the primary acknowledges at T+1m: the SMS due at T+2m is cancelled and the secondary never paged', async () => {
    const { incidentId, t0 } = await trigger('cpu-db-2', 'CPU saturated on db-2');
    await forward(1);
    await api('POST', `/incidents/${incidentId}/acknowledge`, undefined, { cookie: ana.cookie });
    await forward(3 * LEVEL_DELAY);

    assert.deepEqual(timeline(t0, inboxOf(receivers, ana)), ['T+0m email']);
    assert.deepEqual(timeline(t0, inboxOf(receivers, ben)), []);
    const log = await api('GET', `/incidents/${incidentId}/notifications`);
    const rows = log.notifications.map((n: { user: { name: string }; contactMethod: { type: string }; status: string }) => `${n.user.name} ${n.contactMethod.type} ${n.status}`);
    assert.deepEqual(rows, ['Ana email sent', 'Ana sms cancelled'], 'the SMS due at T+2m was cancelled by the acknowledgement');
    assert.equal(log.escalation.stoppedAt !== null, true, 'the escalation stopped');
  });
});
