import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { applySignals, emptySignal } from '../core/alerts/index.ts';
import { createPolicy, escalationJobs, notifyJobs, setServicePolicy } from '../core/escalation/index.ts';
import { createService } from '../core/services/index.ts';
import { FakeClock } from '../core/shared/clock.ts';
import { type Ctx, systemActor } from '../core/shared/context.ts';
import { createUser } from '../core/users/index.ts';
import { createEngine, type Engine } from '../engine/index.ts';
import { memoryLogger } from '../engine/testing/harness.ts';
import type { Database } from '../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../storage/testing/test-database.ts';
import { createChannels } from './channels.ts';

// A page end to end through the real channels: an alert opens an incident, the engine runs the
// escalation, and the page arrives once at a real SMTP listener and a real webhook receiver.
const mails: { to: string[]; raw: string }[] = [];
const hooks: { headers: IncomingHttpHeaders; body: Record<string, any> }[] = [];
let smtp: SMTPServer;
let smtpPort: number;
let receiver: Server;
let hookUrl: string;

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      hooks.push({ headers: req.headers, body: JSON.parse(body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/page`;
});
after(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

eachDatabase('a page through SMTP and a webhook', (kind) => {
  let database: Database;
  let engine: Engine;
  let clock: FakeClock;
  let system: Ctx;
  beforeEach(async () => {
    mails.length = 0;
    hooks.length = 0;
    database = await createTestDatabase(kind);
    clock = new FakeClock('2026-03-02T03:00:00Z');
    system = { db: database.db, clock, actor: systemActor('test') };
    const senders = createChannels({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, smtpFrom: 'Vigil <vigil@example.com>' });
    engine = createEngine({ database, clock, handlers: [escalationJobs, notifyJobs(senders, { publicUrl: 'https://vigil.example.com/' })], logger: memoryLogger(), random: () => 0 });
  });
  afterEach(async () => {
    await engine.stop();
    await database.close();
  });

  it('emails and posts the on-call person once, with the incident link, runbook and idempotency headers', async () => {
    const ana = await createUser(system, { email: 'ana@example.com', name: 'Ana', role: 'responder' });
    const now = clock.now();
    for (const [type, address, delay] of [['email', 'ana@example.com', 0], ['webhook', hookUrl, 1]] as const) {
      const m = await database.db
        .insertInto('contact_methods')
        .values({ user_id: ana.id, type, label: type, address, verified_at: now, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await database.db.insertInto('notification_rules').values({ user_id: ana.id, contact_method_id: m.id, urgency: 'high', delay_minutes: delay, created_at: now }).execute();
    }
    const service = await createService(system, { name: 'Payments', runbookUrl: 'https://runbooks.example.com/payments' });
    const policy = await createPolicy(system, { name: 'Payments', levels: [{ delayMinutes: 10, targets: [{ type: 'user', id: ana.id }] }] });
    await setServicePolicy(system, service.id, policy.id);
    const [r] = await database.db.transaction().execute((tx) =>
      applySignals(tx, clock.now(), [{ target: { serviceId: service.id }, signal: { ...emptySignal('generic', 'trigger'), dedupKey: 'p', summary: 'Card payments failing', severity: 'critical' } }]),
    );
    const { number } = await database.db.selectFrom('incidents').select('number').where('id', '=', r!.incidentId!).executeTakeFirstOrThrow();

    await engine.drain();
    assert.equal(mails.length, 1);
    assert.equal(hooks.length, 0, 'the webhook rule waits a minute');
    const mail = mails[0]!;
    assert.deepEqual(mail.to, ['ana@example.com']);
    assert.match(mail.raw, new RegExp(`^Subject: \\[Vigil\\] #${number} Card payments failing \\(high urgency, Payments\\)\\r?$`, 'm'));
    assert.match(mail.raw, new RegExp(`https://vigil\\.example\\.com/incidents/${number}`));
    assert.match(mail.raw, /Runbook: https:\/\/runbooks\.example\.com\/payments/);
    // The one-click links, whole once quoted-printable's soft line breaks are undone.
    const unwrapped = mail.raw.replace(/=\r?\n/g, '');
    assert.match(unwrapped, /^Acknowledge: https:\/\/vigil\.example\.com\/a\/[A-Za-z0-9_-]{72}\.[A-Za-z0-9_-]{43}\r?$/m);
    assert.match(unwrapped, /^Resolve: https:\/\/vigil\.example\.com\/a\/[A-Za-z0-9_-]{72}\.[A-Za-z0-9_-]{43}\r?$/m);
    // Long headers are folded onto a second line; header names compare without case.
    assert.match(mail.raw, /^Idempotency-Key:\s+[0-9a-f-]{36}:0:0:/im);
    assert.match(mail.raw, /^X-Vigil-Notification-Id: [0-9a-f-]{36}\r?$/im);

    clock.advance(60_000);
    await engine.drain();
    await engine.drain();
    assert.equal(hooks.length, 1);
    const hook = hooks[0]!;
    assert.equal(hook.body.type, 'vigil.page');
    assert.equal(hook.body.incident.number, number);
    assert.equal(hook.body.incident.url, `https://vigil.example.com/incidents/${number}`);
    assert.equal(hook.body.incident.urgency, 'high');
    assert.equal(hook.body.incident.service.name, 'Payments');
    assert.equal(hook.body.incident.runbookUrl, 'https://runbooks.example.com/payments');
    assert.equal(hook.headers['idempotency-key'], hook.body.idempotencyKey);
    assert.match(hook.body.actions.acknowledge, /^https:\/\/vigil\.example\.com\/a\/[A-Za-z0-9_-]{72}\.[A-Za-z0-9_-]{43}$/);
    assert.match(hook.body.actions.resolve, /^https:\/\/vigil\.example\.com\/a\/[A-Za-z0-9_-]{72}\.[A-Za-z0-9_-]{43}$/);
    assert.equal(hook.body.actions.expiresAt, new Date(clock.now().getTime() + 24 * 3_600_000).toISOString());
    assert.equal(hook.headers['x-vigil-notification-id'], hook.body.notificationId);
    assert.equal(mails.length, 1, 'still one email');
    const statuses = await database.db.selectFrom('notifications').select('status').execute();
    assert.deepEqual(statuses.map((s) => s.status), ['sent', 'sent']);
  });
});
