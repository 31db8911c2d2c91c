import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { createEngine, type Engine } from '../../engine/index.ts';
import { memoryLogger } from '../../engine/testing/harness.ts';
import type { Database } from '../../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { FakeClock } from '../shared/clock.ts';
import { type Ctx, systemActor } from '../shared/context.ts';
import { isDomainError } from '../shared/errors.ts';
import { createUser } from '../users/index.ts';
import {
  addContactMethod,
  type Channels,
  type OutboundMessage,
  addNotificationRule,
  contactJobs,
  deleteContactMethod,
  getContacts,
  sendContactCode,
  verifyContactMethod,
} from './index.ts';

const MINUTE = 60_000;

eachDatabase('contact methods', (kind) => {
  let database: Database;
  let clock: FakeClock;
  let engine: Engine;
  let sent: { type: string; address: string; message: OutboundMessage & { code: string } }[];
  let failNext: boolean;
  let ana: Ctx;
  let anaId: string;
  let bob: Ctx;
  let admin: Ctx;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    clock = new FakeClock('2026-03-02T09:00:00Z');
    sent = [];
    failNext = false;
    const record =
      (type: string): Channels['email'] =>
      async (address, message) => {
        if (failNext) {
          failNext = false;
          throw new Error('receiver down');
        }
        sent.push({ type, address, message: { ...message, code: String(message.body.code) } });
      };
    engine = createEngine({ database, clock, handlers: [contactJobs({ email: record('email'), webhook: record('webhook'), slack: record('slack'), slack_webhook: record('slack_webhook'), teams: record('teams'), sms: record('sms'), voice: record('voice') })], logger: memoryLogger(), random: () => 0 });
    const system: Ctx = { db: database.db, clock, actor: systemActor('test') };
    const person = async (name: string, role: 'admin' | 'responder' | 'observer'): Promise<Ctx> => {
      const u = await createUser(system, { email: `${name}@example.com`, name, role, password: 'correct horse battery staple' });
      return { ...system, actor: { type: 'user', id: u.id, name, role } };
    };
    ana = await person('ana', 'observer');
    anaId = (ana.actor as { id: string }).id;
    bob = await person('bob', 'responder');
    admin = await person('root', 'admin');
  });
  afterEach(async () => {
    await engine.stop();
    await database.close();
  });

  const code = (i = -1) => sent.at(i)!.message.code;
  const addHook = () => addContactMethod(ana, anaId, { type: 'webhook', label: 'Pager hook', address: 'https://hooks.example.com/ana' });
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      if (isDomainError(e)) return { code: e.code, message: e.message, fields: (e.details as { fields?: { field: string; reason: string }[] } | undefined)?.fields };
      throw e;
    }
    assert.fail('expected a refusal');
  };

  it('sends a new method a code from the engine, and the code verifies it', async () => {
    const m = await addHook();
    assert.equal(m.verified, false);
    assert.equal(sent.length, 0, 'sent by the engine, after the commit');
    await engine.drain();
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.address, 'https://hooks.example.com/ana');
    assert.match(code(), /^\d{6}$/);
    assert.match(sent[0]!.message.text, new RegExp(code()));
    const verified = await verifyContactMethod(ana, anaId, m.id, code());
    assert.equal(verified.verified, true);
    assert.equal((await getContacts(ana, anaId)).methods[0]!.verified, true);
    const stored = await database.db.selectFrom('contact_methods').select(['code_hash']).executeTakeFirstOrThrow();
    assert.equal(stored.code_hash, null, 'no code is kept once verified');
  });

  it('counts wrong codes: after five even the right one needs a new code, which works', async () => {
    const m = await addHook();
    await engine.drain();
    const right = code();
    const wrong = right === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 0; left--) {
      const r = await refusal(verifyContactMethod(ana, anaId, m.id, wrong));
      assert.equal(r.code, 'VALIDATION');
      assert.equal(r.fields![0]!.field, 'code');
      assert.match(r.fields![0]!.reason, left ? new RegExp(`${left} attempts left`) : /ask for a new code/);
    }
    assert.equal((await refusal(verifyContactMethod(ana, anaId, m.id, right))).code, 'PRECONDITION_FAILED');
    assert.equal((await refusal(sendContactCode(ana, anaId, m.id))).code, 'RATE_LIMITED', 'not again within the minute');
    clock.advance(MINUTE);
    await sendContactCode(ana, anaId, m.id);
    await engine.drain();
    assert.equal(sent.length, 2);
    assert.notEqual(code(), undefined);
    if (code() !== right) assert.equal((await refusal(verifyContactMethod(ana, anaId, m.id, right))).code, 'VALIDATION', 'the old code no longer works');
    assert.equal((await verifyContactMethod(ana, anaId, m.id, code())).verified, true);
  });

  it('lets a code expire after 15 minutes', async () => {
    const m = await addHook();
    await engine.drain();
    clock.advance(15 * MINUTE);
    const r = await refusal(verifyContactMethod(ana, anaId, m.id, code()));
    assert.equal(r.code, 'PRECONDITION_FAILED');
    assert.match(r.message, /expired/);
  });

  it('retries a send that failed, with a new code', async () => {
    failNext = true;
    const m = await addHook();
    await engine.drain();
    assert.equal(sent.length, 0);
    clock.advance(10 * MINUTE);
    await engine.drain();
    assert.equal(sent.length, 1);
    assert.equal((await verifyContactMethod(ana, anaId, m.id, code())).verified, true);
  });

  it('is ready for an urgency once a rule points at a verified method', async () => {
    const m = await addHook();
    await engine.drain();
    await addNotificationRule(ana, anaId, { contactMethodId: m.id, urgency: 'high', delayMinutes: 0 });
    let r = (await getContacts(ana, anaId)).readiness;
    assert.equal(r.high, false, 'not through an unverified method');
    await verifyContactMethod(ana, anaId, m.id, code());
    r = (await getContacts(ana, anaId)).readiness;
    assert.equal(r.high, true);
    assert.equal(r.low, false);
    await deleteContactMethod(ana, anaId, m.id);
    assert.deepEqual((await getContacts(ana, anaId)).rules, [], 'its rules went with it');
  });

  it('keeps methods personal: others are refused, an admin may, a read token may only read', async () => {
    const m = await addHook();
    assert.equal((await refusal(getContacts(bob, anaId))).code, 'FORBIDDEN');
    assert.equal((await refusal(addContactMethod(bob, anaId, { type: 'webhook', label: 'x', address: 'https://x.example/' }))).code, 'FORBIDDEN');
    assert.equal((await refusal(deleteContactMethod(bob, anaId, m.id))).code, 'FORBIDDEN');
    assert.equal((await getContacts(admin, anaId)).methods.length, 1);
    const readToken: Ctx = { ...ana, actor: { type: 'token', id: 't', userId: anaId, userName: 'ana', name: 'ro', role: 'observer', scope: 'read' } };
    assert.equal((await getContacts(readToken, anaId)).methods.length, 1);
    assert.equal((await refusal(deleteContactMethod(readToken, anaId, m.id))).code, 'FORBIDDEN');
  });

  it('refuses bad input naming the field, and a duplicate', async () => {
    const r = await refusal(addContactMethod(ana, anaId, { type: 'webhook', label: '', address: 'https://u:p@x.example/' }));
    assert.deepEqual(r.fields!.map((f) => f.field).sort(), ['address', 'label']);
    await addHook();
    assert.equal((await refusal(addHook())).code, 'CONFLICT');
    const m = (await getContacts(ana, anaId)).methods[0]!;
    const rule = await refusal(addNotificationRule(ana, anaId, { contactMethodId: m.id, urgency: 'high', delayMinutes: 1441 }));
    assert.equal(rule.fields![0]!.field, 'delayMinutes');
  });
});
