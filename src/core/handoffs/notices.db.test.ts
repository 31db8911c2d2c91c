import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import type { OutboundMessage } from '../contacts/index.ts';
import { createEngine, type Engine } from '../../engine/index.ts';
import { memoryLogger } from '../../engine/testing/harness.ts';
import type { Database } from '../../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { noticeJobs } from '../notices/index.ts';
import { acceptSwap, createSchedule, requestSwap } from '../schedules/index.ts';
import { FakeClock } from '../shared/clock.ts';
import { type Ctx, systemActor } from '../shared/context.ts';
import { createUser } from '../users/index.ts';
import { handoffNoticeCron, handoffNoticeJobs } from './index.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// Daily handoffs at 09:00 UTC between Ana and Ben; Ben's low-urgency rule points at a verified
// webhook, Ana has none. Notices go 30 minutes ahead.
eachDatabase('handoff and swap notices', (kind) => {
  let database: Database;
  let clock: FakeClock;
  let engine: Engine;
  let sent: { address: string; message: OutboundMessage }[];
  let ana: Ctx;
  let ben: Ctx;
  let ids: { ana: string; ben: string; schedule: string };

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    // 08:00 on the 2nd: Ana's day began at 09:00 on the 1st, Ben's begins at 09:00 today.
    clock = new FakeClock('2026-03-02T08:00:00Z');
    sent = [];
    const record = async (address: string, message: OutboundMessage) => {
      sent.push({ address, message });
    };
    engine = createEngine({
      database,
      clock,
      handlers: [noticeJobs({ email: record, webhook: record, slack: record, slack_webhook: record, teams: record, sms: record, voice: record }), handoffNoticeJobs({ leadMinutes: 30, publicUrl: 'https://vigil.example.com' })],
      cron: [handoffNoticeCron],
      logger: memoryLogger(),
      random: () => 0,
    });
    const system: Ctx = { db: database.db, clock, actor: systemActor('test') };
    const person = async (name: string, timeZone: string) => {
      const u = await createUser(system, { email: `${name}@example.com`, name, role: 'responder', timeZone });
      return u.id;
    };
    const anaId = await person('Ana', 'Europe/Madrid');
    const benId = await person('Ben', 'America/New_York');
    ana = { ...system, actor: { type: 'user', id: anaId, name: 'Ana', role: 'responder' } };
    ben = { ...system, actor: { type: 'user', id: benId, name: 'Ben', role: 'responder' } };
    const now = clock.now();
    const m = await database.db
      .insertInto('contact_methods')
      .values({ user_id: benId, type: 'webhook', label: 'hook', address: 'https://hooks.example.com/ben', verified_at: now, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('notification_rules').values({ user_id: benId, contact_method_id: m.id, urgency: 'low', delay_minutes: 0, created_at: now }).execute();
    const schedule = await createSchedule(ana, {
      name: 'Payments primary',
      timeZone: 'UTC',
      layers: [{ name: 'Daily', participants: [anaId, benId], rotation: { unit: 'day', length: 1 }, handoff: { date: '2026-03-01', time: '09:00' }, start: '2026-03-01T00:00:00Z' }],
    });
    ids = { ana: anaId, ben: benId, schedule: schedule.id };
  });
  afterEach(async () => {
    await engine.stop();
    await database.close();
  });

  const advanceTo = async (iso: string) => {
    while (clock.now().getTime() < Date.parse(iso)) {
      clock.advance(Math.min(5 * MINUTE, Date.parse(iso) - clock.now().getTime()));
      await engine.drain();
    }
  };
  const notices = () => database.db.selectFrom('notices').select(['user_id', 'kind', 'status', 'last_error']).orderBy('created_at').orderBy('key').execute();

  it('tells the incoming person 30 minutes before their shift, once, in their own time zone', async () => {
    await advanceTo('2026-03-02T08:25:00Z');
    assert.equal(sent.length, 0, 'not before the lead time');
    await advanceTo('2026-03-02T08:35:00Z');
    assert.equal(sent.length, 1);
    const { address, message } = sent[0]!;
    assert.equal(address, 'https://hooks.example.com/ben');
    assert.equal(message.body.type, 'vigil.handoff');
    assert.match(message.text, /on call for Payments primary from Mon 2 Mar 04:00 EST to Tue 3 Mar 04:00 EST/);
    assert.deepEqual((message.body as { start?: string }).start, '2026-03-02T09:00:00.000Z');
    assert.match(message.headers!['Idempotency-Key']!, /^notice:/);
    await advanceTo('2026-03-02T12:00:00Z');
    assert.equal(sent.length, 1, 'nobody twice, and nothing for a shift already running');
  });

  it('records a notice for someone with no low-urgency method as skipped, and sends nothing', async () => {
    // Ana's next shift begins on the 3rd at 09:00.
    await advanceTo('2026-03-03T08:40:00Z');
    const rows = await notices();
    assert.deepEqual(
      rows.map((r) => [r.user_id, r.status]),
      [
        [ids.ben, 'sent'],
        [ids.ana, 'skipped'],
      ],
    );
    assert.match(rows[1]!.last_error!, /no low-urgency notification rule/);
    assert.equal(sent.length, 1);
  });

  it('tells the recipient of a swap request, and both people once it is accepted', async () => {
    // Ana is on call until 09:00 today; she asks Ben to take ten minutes of it.
    const swap = await requestSwap(ana, ids.schedule, { recipientId: ids.ben, start: '2026-03-02T08:10:00Z', end: '2026-03-02T08:20:00Z' });
    await engine.drain();
    assert.deepEqual(
      sent.map((s) => s.message.body.type),
      ['vigil.swap'],
    );
    assert.match(sent[0]!.message.text, /Ana asks you to take their on-call time on Payments primary from Mon 2 Mar 03:10 EST to Mon 2 Mar 03:20 EST/, 'in Ben’s own time zone');
    await acceptSwap(ben, ids.schedule, swap.id);
    await engine.drain();
    const rows = (await notices()).filter((r) => r.kind === 'swap').map((r) => `${r.user_id === ids.ben ? 'Ben' : 'Ana'} ${r.status}`);
    // Ben: the request and the acceptance; Ana: the acceptance, skipped (she has no method).
    assert.deepEqual(rows.sort(), ['Ana skipped', 'Ben sent', 'Ben sent']);
    assert.match(sent[1]!.message.text, /Ben takes Ana's on-call time on Payments primary .*: the override is in place/);
  });
});
