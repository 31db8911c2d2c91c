import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../shared/clock.ts';
import type { Database } from '../../storage/open-database.ts';
import { createPostgresTestDatabase, openPostgresSchema, POSTGRES_SKIP_REASON, postgresTestUrl } from '../../storage/testing/test-database.ts';
import { createIngestor } from './ingestor.ts';
import { emptySignal } from './signal.ts';

// Several nodes, each with its own pool and group-commit ingestor, receive the same alerts at once
// (as behind a load balancer): the partial unique index, not the code, keeps one open alert per key,
// and the per-service advisory lock keeps one incident per group. PostgreSQL only: PGlite is one session.
const NODES = 3;
const PER_NODE = 60;
const KEYS = 5;

describe('ingestion on several nodes [PostgreSQL]', { skip: postgresTestUrl() ? false : POSTGRES_SKIP_REASON }, () => {
  it(`collapses ${NODES * PER_NODE} concurrent triggers over ${KEYS} keys into ${KEYS} alerts and one incident`, async () => {
    const primary = await createPostgresTestDatabase();
    const nodes: Database[] = [];
    try {
      const now = new Date('2026-03-02T09:00:00Z');
      const { id: serviceId } = await primary.db
        .insertInto('services')
        .values({ name: 'Shared', alert_grouping: JSON.stringify({ mode: 'time', windowMinutes: 0 }), created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await primary.db.insertInto('integration_keys').values({ service_id: serviceId, key: 'k'.repeat(32), name: 'default', created_at: now }).execute();
      for (let i = 0; i < NODES; i++) nodes.push(await openPostgresSchema(primary.url, primary.schema, 4));
      const clock = new FakeClock(now);
      const ingestors = nodes.map((n) => createIngestor(n.db, clock, { maxBatchItems: 8 }));

      const sends = ingestors.flatMap((ingestor, node) =>
        Array.from({ length: PER_NODE }, (_, i) =>
          ingestor.submit([
            { target: { key: 'k'.repeat(32) }, signal: { ...emptySignal('pagerduty', 'trigger'), dedupKey: `key-${(i + node) % KEYS}`, summary: `node ${node} event ${i}` } },
          ]),
        ),
      );
      const results = (await Promise.all(sends)).flat();
      assert.equal(results.length, NODES * PER_NODE);
      assert.equal(results.filter((r) => r.decision === 'created').length, KEYS, 'exactly one "created" per key');
      assert.equal(results.filter((r) => r.decision === 'deduplicated').length, NODES * PER_NODE - KEYS);

      const alerts = await primary.db.selectFrom('alerts').select(['dedup_key', 'count', 'incident_id']).execute();
      assert.equal(alerts.length, KEYS);
      assert.equal(alerts.reduce((n, a) => n + a.count, 0), NODES * PER_NODE, 'every trigger counted once');
      assert.equal(new Set(alerts.map((a) => a.incident_id)).size, 1, 'time grouping opened one incident');
      const events = await primary.db.selectFrom('alert_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(events.n), NODES * PER_NODE, 'every event logged once');
    } finally {
      for (const n of nodes) await n.close();
      await primary.close();
    }
  });

  it('survives nodes updating the same alerts in opposite orders (a deadlock is retried, nothing lost)', async () => {
    const primary = await createPostgresTestDatabase();
    const nodes: Database[] = [];
    try {
      const now = new Date('2026-03-02T09:00:00Z');
      const { id: serviceId } = await primary.db.insertInto('services').values({ name: 'Crossed', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
      await primary.db.insertInto('integration_keys').values({ service_id: serviceId, key: 'c'.repeat(32), name: 'default', created_at: now }).execute();
      for (let i = 0; i < 2; i++) nodes.push(await openPostgresSchema(primary.url, primary.schema, 4));
      const clock = new FakeClock(now);
      const ingestors = nodes.map((n) => createIngestor(n.db, clock));
      const keys = Array.from({ length: 10 }, (_, i) => `crossed-${i}`);
      const request = (order: string[]) =>
        order.map((dedupKey) => ({ target: { key: 'c'.repeat(32) }, signal: { ...emptySignal('generic', 'trigger'), dedupKey, summary: dedupKey } }));
      const rounds = 30;
      await Promise.all(
        Array.from({ length: rounds }, (_, r) => [
          ingestors[0]!.submit(request(keys)),
          ingestors[1]!.submit(request([...keys].reverse())),
        ]).flat(),
      );
      const alerts = await primary.db.selectFrom('alerts').select(['count']).execute();
      assert.equal(alerts.length, keys.length);
      assert.equal(alerts.reduce((n, a) => n + a.count, 0), rounds * 2 * keys.length);
    } finally {
      for (const n of nodes) await n.close();
      await primary.close();
    }
  });
});
