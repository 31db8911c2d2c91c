import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../core/shared/clock.ts';
import { createPostgresTestDatabase, openPostgresSchema, POSTGRES_SKIP_REASON, postgresTestUrl } from '../storage/testing/test-database.ts';
import { createKeyRateLimiter, type KeyRateLimiter } from './key-rate-limit.ts';
import { shareKeyRateLimits } from './shared-rate-limit.ts';

// Two nodes on one PostgreSQL, each with its own buckets: what one accepts, the other spends.
describe('ingest rate limits shared between nodes [PostgreSQL]', { skip: postgresTestUrl() ? false : POSTGRES_SKIP_REASON }, () => {
  it('a node spends what another accepted for the key, once a second, so the limit holds for both', async () => {
    const primary = await createPostgresTestDatabase();
    const secondary = await openPostgresSchema(primary.url, primary.schema);
    const clock = new FakeClock('2026-03-02T09:00:00Z');
    const errors: unknown[] = [];
    const a = createKeyRateLimiter(10);
    const heard: { key: string; cost: number }[] = [];
    let told: () => void = () => {};
    const b = createKeyRateLimiter(10);
    const bSpy: KeyRateLimiter = {
      take: (key, now, cost) => b.take(key, now, cost),
      spend(key, now, cost) {
        heard.push({ key, cost });
        b.spend(key, now, cost);
        told();
      },
    };
    const shareA = shareKeyRateLimits(primary, clock, a, (e) => errors.push(e));
    const shareB = shareKeyRateLimits(secondary, clock, bSpy, (e) => errors.push(e));
    try {
      const now = () => clock.now().getTime();
      // B starts listening with the first event it accepts.
      assert.equal(bSpy.take('key-1', now()), null);
      shareB.record('key-1', 1);
      for (let i = 0; i < 8; i++) {
        assert.equal(a.take('key-1', now()), null);
        shareA.record('key-1', 1);
      }
      shareA.record('key-2', 3);
      await new Promise((r) => setTimeout(r, 200)); // both LISTENs are in place
      const arrived = new Promise<void>((resolve) => (told = () => heard.length >= 2 && resolve()));
      // A second later A tells the others what it took; B's own event reaches A the same way.
      clock.advance(1_000);
      await Promise.race([arrived, new Promise((_, reject) => setTimeout(() => reject(new Error(`heard only ${JSON.stringify(heard)}`)), 5_000))]);
      assert.deepEqual(heard.sort((x, y) => x.key.localeCompare(y.key)), [
        { key: 'key-1', cost: 8 },
        { key: 'key-2', cost: 3 },
      ]);
      // 10 a minute: 1 taken by B and 8 by A leave B one (plus what a second refills), not nine.
      assert.equal(bSpy.take('key-1', now()), null);
      assert.notEqual(bSpy.take('key-1', now()), null, 'the second event on B is over the shared limit');
      assert.deepEqual(errors, []);
    } finally {
      await shareA.stop();
      await shareB.stop();
      await secondary.close();
      await primary.close();
    }
  });
});
