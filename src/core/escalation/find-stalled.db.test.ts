import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { scheduleJob } from '../../engine/index.ts';
import type { Database } from '../../storage/open-database.ts';
import { createTestDatabase, eachDatabase } from '../../storage/testing/test-database.ts';
import { findStalled } from './find-stalled.ts';

const NOW = new Date('2026-03-02T10:00:00Z');

eachDatabase('the paging auditor', (kind) => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase(kind);
  });
  after(() => database.close());

  const incident = async (status: 'triggered' | 'acknowledged') => {
    const { id: serviceId } = await database.db.insertInto('services').values({ name: `s ${Math.random()}`, created_at: NOW, updated_at: NOW }).returning('id').executeTakeFirstOrThrow();
    return (
      await sql<{ id: string; number: number }>`insert into incidents (service_id, title, status, urgency, alert_count, created_at, updated_at)
        values (${serviceId}, 'x', ${status}, 'high', 1, ${NOW}, ${NOW}) returning id, number`.execute(database.db)
    ).rows[0]!;
  };
  const escalation = (incidentId: string, stopped: boolean) =>
    sql`insert into escalations (incident_id, policy, next_run_at, stopped_at, stop_reason, created_at, updated_at)
      values (${incidentId}, '{}', ${NOW}, ${stopped ? NOW : null}, ${stopped ? 'completed' : null}, ${NOW}, ${NOW})`.execute(database.db);

  it('names a triggered incident whose running escalation has no pending step, and nothing else', async () => {
    const stuck = await incident('triggered');
    await escalation(stuck.id, false);
    const fine = await incident('triggered');
    await escalation(fine.id, false);
    await database.db.transaction().execute((tx) => scheduleJob(tx, { kind: 'escalation.due', key: `escalation:${fine.id}`, runAt: NOW, payload: { incidentId: fine.id }, now: NOW }));
    const ended = await incident('triggered');
    await escalation(ended.id, true);
    const acked = await incident('acknowledged');
    await escalation(acked.id, false);
    assert.deepEqual(await findStalled(database.db), [{ incidentId: stuck.id, number: stuck.number, reason: 'no pending escalation step' }]);
  });

  it('names an incident with a queued page whose send job is gone, and not one whose job is pending', async () => {
    const before = (await findStalled(database.db)).length;
    const lost = await incident('triggered');
    const kept = await incident('triggered');
    const page = (incidentId: string, key: string) =>
      sql<{ id: string }>`insert into notifications (incident_id, level, pass, status, idempotency_key, created_at, updated_at)
        values (${incidentId}, 0, 0, 'queued', ${key}, ${NOW}, ${NOW}) returning id`.execute(database.db);
    await page(lost.id, 'lost');
    const { rows } = await page(kept.id, 'kept');
    await database.db.transaction().execute((tx) => scheduleJob(tx, { kind: 'notify.send', key: `notify:${rows[0]!.id}`, runAt: NOW, payload: { notificationId: rows[0]!.id }, now: NOW }));
    const stalled = await findStalled(database.db);
    assert.equal(stalled.length, before + 1);
    assert.deepEqual(stalled.find((s) => s.incidentId === lost.id), { incidentId: lost.id, number: lost.number, reason: 'page neither sent nor pending' });
    assert.equal(stalled.some((s) => s.incidentId === kept.id), false);
  });
});
