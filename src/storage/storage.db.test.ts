import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { pendingMigrations } from './migrate.ts';
import type { Database } from './open-database.ts';
import { createTestDatabase, eachDatabase } from './testing/test-database.ts';

eachDatabase('storage', (kind) => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase(kind);
  });
  after(() => database.close());

  it('applies every migration', async () => {
    assert.deepEqual(await pendingMigrations(database.db), []);
  });

  it('returns int8 as a number on both backends', async () => {
    const { rows } = await sql<{ n: number }>`select 9007199254740991::int8 as n`.execute(database.db);
    assert.equal(rows[0]?.n, Number.MAX_SAFE_INTEGER);
  });

  it('rolls a failed transaction back completely', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    await assert.rejects(
      database.db.transaction().execute(async (tx) => {
        await tx.insertInto('teams').values({ name: 'rollback-team', created_at: now }).execute();
        throw new Error('boom');
      }),
      /boom/,
    );
    const rows = await database.db.selectFrom('teams').where('name', '=', 'rollback-team').selectAll().execute();
    assert.equal(rows.length, 0);
  });

  it('keeps concurrent transactions apart (20 read-modify-write increments all land)', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const team = await database.db
      .insertInto('teams')
      .values({ name: 'counter', description: '0', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        database.db.transaction().execute(async (tx) => {
          const row = await tx
            .selectFrom('teams')
            .select('description')
            .where('id', '=', team.id)
            .forUpdate()
            .executeTakeFirstOrThrow();
          await tx
            .updateTable('teams')
            .set({ description: String(Number(row.description) + 1) })
            .where('id', '=', team.id)
            .execute();
        }),
      ),
    );
    const row = await database.db.selectFrom('teams').select('description').where('id', '=', team.id).executeTakeFirstOrThrow();
    assert.equal(row.description, '20');
  });

  it('delivers NOTIFY to a listener on commit, not before', async () => {
    const got: string[] = [];
    const stop = await database.listen('vigil_test_channel', (p) => got.push(p));
    try {
      await database.db.transaction().execute(async (tx) => {
        await sql`select pg_notify('vigil_test_channel', 'hello')`.execute(tx);
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(got, [], 'nothing before commit');
      });
      for (let i = 0; i < 50 && !got.includes('hello'); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(got.includes('hello'));
    } finally {
      await stop();
    }
  });

  it('keeps listening after its connection is killed', { skip: kind === 'pglite' ? 'one in-process session: no connection to lose' : false }, async () => {
    const got: string[] = [];
    const stop = await database.listen('vigil_reconnect', (p) => got.push(p));
    try {
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'listen%vigil_reconnect%'`.execute(database.db);
      for (let i = 0; i < 100 && !got.includes('after'); i++) {
        await sql`select pg_notify('vigil_reconnect', 'after')`.execute(database.db);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(got.includes('after'), `got ${JSON.stringify(got)}`);
    } finally {
      await stop();
    }
  });

  it('refuses to rewrite the audit log', async () => {
    await database.db
      .insertInto('audit_log')
      .values({ at: new Date(), actor_type: 'system', actor_id: null, actor_name: 'test', action: 'x.y', entity_type: 'x', entity_id: null })
      .execute();
    await assert.rejects(database.db.updateTable('audit_log').set({ action: 'tampered' }).execute(), /append-only/);
    await assert.rejects(database.db.deleteFrom('audit_log').execute(), /append-only/);
  });
});
