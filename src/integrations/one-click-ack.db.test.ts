import assert from 'node:assert/strict';
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
import { type App, createApp } from '../http/app.ts';
import type { Database } from '../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../storage/testing/test-database.ts';
import { createChannels } from './channels.ts';

// Issue 5's "done when", in one process with a real SMTP listener: an alert pages the primary by
// email at once, nobody acknowledges, the secondary is emailed when the level's 5 minutes are up,
// and the secondary's one-click acknowledge link from that email stops the escalation.
const MINUTE = 60_000;
const mails: { to: string[]; raw: string }[] = [];
let smtp: SMTPServer;
let smtpPort: number;

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
});
after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

/** The link on the email's `Acknowledge:` line, once quoted-printable soft breaks are undone. */
const ackLinkOf = (raw: string): string => {
  const m = /^Acknowledge: (https?:\/\/\S+)\r?$/m.exec(raw.replace(/=\r?\n/g, ''));
  assert.ok(m, `no Acknowledge line in:\n${raw}`);
  return m[1]!;
};

eachDatabase('paging by email until a one-click acknowledge', (kind) => {
  let database: Database;
  let engine: Engine;
  let app: App;
  let clock: FakeClock;
  beforeEach(async () => {
    mails.length = 0;
    database = await createTestDatabase(kind);
    clock = new FakeClock('2026-03-02T03:00:00Z');
    const channels = createChannels({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, smtpFrom: 'Vigil <vigil@example.com>' });
    engine = createEngine({ database, clock, handlers: [escalationJobs, notifyJobs(channels, { publicUrl: 'https://vigil.example.com' })], logger: memoryLogger(), random: () => 0 });
    app = await createApp({
      database,
      clock,
      version: 'test',
      config: { publicUrl: 'https://vigil.example.com', bodyLimitBytes: 64 * 1024, rateLimitPerMinute: 10_000, sessionTtlHours: 24, trustProxy: false },
    });
  });
  afterEach(async () => {
    await app.close();
    await engine.stop();
    await database.close();
  });

  it('emails the primary at once, the secondary after 5 unacknowledged minutes, and stops on the secondary’s email link', async () => {
    const system: Ctx = { db: database.db, clock, actor: systemActor('test') };
    const now = clock.now();
    const people: Record<string, string> = {};
    for (const name of ['ana', 'bob']) {
      const user = await createUser(system, { email: `${name}@example.com`, name, role: 'responder' });
      people[name] = user.id;
      const m = await database.db
        .insertInto('contact_methods')
        .values({ user_id: user.id, type: 'email', label: 'Work', address: `${name}@example.com`, verified_at: now, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await database.db.insertInto('notification_rules').values({ user_id: user.id, contact_method_id: m.id, urgency: 'high', delay_minutes: 0, created_at: now }).execute();
    }
    const service = await createService(system, { name: 'Payments' });
    // One more pass after bob: without the acknowledge, ana would be emailed again at T+10m.
    const policy = await createPolicy(system, {
      name: 'Payments',
      repeat: 1,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: people.ana! }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: people.bob! }] },
      ],
    });
    await setServicePolicy(system, service.id, policy.id);
    const [r] = await database.db.transaction().execute((tx) =>
      applySignals(tx, clock.now(), [{ target: { serviceId: service.id }, signal: { ...emptySignal('generic', 'trigger'), dedupKey: 'p', summary: 'Card payments failing', severity: 'critical' } }]),
    );
    const incidentId = r!.incidentId!;

    await engine.drain();
    assert.deepEqual(mails.map((m) => m.to), [['ana@example.com']], 'the primary at once');
    clock.advance(5 * MINUTE - 1000);
    await engine.drain();
    assert.equal(mails.length, 1, 'nobody else before the 5 minutes are up');
    clock.advance(1000);
    await engine.drain();
    assert.deepEqual(mails.map((m) => m.to), [['ana@example.com'], ['bob@example.com']], 'the secondary at T+5m');

    clock.advance(MINUTE);
    const link = new URL(ackLinkOf(mails[1]!.raw));
    assert.equal(link.origin, 'https://vigil.example.com');
    // A mail scanner fetching the link acknowledges nothing.
    assert.equal((await app.inject({ method: 'GET', url: link.pathname })).statusCode, 200);
    assert.equal((await database.db.selectFrom('incidents').select('status').where('id', '=', incidentId).executeTakeFirstOrThrow()).status, 'triggered');
    const click = await app.inject({ method: 'POST', url: link.pathname, headers: { accept: 'application/json' } });
    assert.equal(click.statusCode, 200, click.body);
    assert.equal(click.json().result, 'done');

    const escalation = await database.db.selectFrom('escalations').select(['stop_reason']).where('incident_id', '=', incidentId).executeTakeFirstOrThrow();
    assert.equal(escalation.stop_reason, 'acknowledged');
    const audit = await database.db.selectFrom('audit_log').select(['actor_id', 'data']).where('action', '=', 'incident.acknowledge').executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, people.bob);
    clock.advance(60 * MINUTE);
    await engine.drain();
    assert.equal(mails.length, 2, 'no page after the acknowledge');
  });
});
