import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createEngine, type Engine } from '../../engine/index.ts';
import { memoryLogger } from '../../engine/testing/harness.ts';
import type { Database } from '../../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { FakeClock } from '../shared/clock.ts';
import { systemActor } from '../shared/context.ts';
import { createUser, sessionCron, sessionJobs } from './index.ts';
import { logIn } from './log-in.ts';

eachDatabase('session purge job', (kind) => {
  let database: Database;
  let engine: Engine;
  const clock = new FakeClock('2026-05-01T10:00:00Z');
  before(async () => {
    database = await createTestDatabase(kind);
    engine = createEngine({ database, clock, handlers: [sessionJobs], cron: [sessionCron], logger: memoryLogger(), random: () => 0.5 });
  });
  after(async () => {
    await engine.stop();
    await database.close();
  });

  it('deletes sessions once they have expired, on the hourly cron, with the clock fast-forwarded', async () => {
    await createUser({ db: database.db, clock, actor: systemActor() }, { email: 'a@example.com', name: 'A', role: 'observer', password: 'twelve chars ok' });
    const deps = { db: database.db, clock };
    await logIn(deps, { email: 'a@example.com', password: 'twelve chars ok', ttlHours: 2 });
    await logIn(deps, { email: 'a@example.com', password: 'twelve chars ok', ttlHours: 48 });
    const count = async () => (await database.db.selectFrom('sessions').select('token_hash').execute()).length;

    // drain() alone (no background loop) runs what is due at the fake clock's time, cron included.
    await engine.drain();
    assert.equal(await count(), 2, 'nothing has expired yet');

    clock.advance(3 * 3_600_000);
    await engine.drain();
    assert.equal(await count(), 1, 'the 2-hour session is purged within the hour after it expired');

    clock.advance(48 * 3_600_000);
    await engine.drain();
    assert.equal(await count(), 0);
  });
});
