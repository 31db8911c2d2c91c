import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PostgresIntrospector, sql } from 'kysely';
import pg from 'pg';
import { CurrentSchemaIntrospector } from './schema-introspector.ts';
import {
  createPostgresTestDatabase,
  POSTGRES_SKIP_REASON,
  type PostgresTestDatabase,
  postgresTestUrl,
} from './testing/test-database.ts';

describe('introspection of the current schema only [PostgreSQL]', { skip: postgresTestUrl() ? false : POSTGRES_SKIP_REASON }, () => {
  let database: PostgresTestDatabase;
  before(async () => {
    database = await createPostgresTestDatabase();
  });
  after(() => database.close());

  const otherSchema = async (name: string, statement: 'create' | 'drop') => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(statement === 'create' ? `create schema ${name}; create table ${name}.t (x int)` : `drop schema ${name} cascade`);
    } finally {
      await admin.end();
    }
  };

  it('lists the tables of its schema, with columns, and none of another schema', async () => {
    const other = `${database.schema}_other`;
    await otherSchema(other, 'create');
    try {
      const tables = await new CurrentSchemaIntrospector(database.db).getTables({ withInternalKyselyTables: true });
      assert.ok(tables.length > 10);
      assert.ok(tables.every((t) => t.schema === database.schema));
      assert.ok(tables.some((t) => t.name === 'kysely_migration'));
      // The same metadata Kysely's own introspector gives for this schema.
      const stock = (await new PostgresIntrospector(database.db).getTables({ withInternalKyselyTables: true }))
        .filter((t) => t.schema === database.schema);
      const plainJson = (v: unknown) => JSON.parse(JSON.stringify(v));
      assert.deepEqual(plainJson(tables), plainJson(stock));
      const plain = await new CurrentSchemaIntrospector(database.db).getTables();
      assert.ok(!plain.some((t) => t.name.startsWith('kysely_migration')));
    } finally {
      await otherSchema(other, 'drop');
    }
  });

  // The migrator asks whether its tables exist. Kysely's own introspector fails when another schema
  // is dropped while it reads: its catalog scan still sees the schema, has_schema_privilege no longer
  // does. A repeatable-read snapshot taken before the drop makes that interleaving certain.
  it('is not upset by another schema dropped while it reads (the stock introspector is)', async () => {
    const other = `${database.schema}_gone`;
    await otherSchema(other, 'create');
    await database.db.connection().execute(async (conn) => {
      await sql`begin isolation level repeatable read`.execute(conn);
      try {
        await sql`select count(*) from pg_catalog.pg_namespace`.execute(conn);
        await otherSchema(other, 'drop');
        await sql`savepoint stock`.execute(conn);
        await assert.rejects(new PostgresIntrospector(conn).getTables(), /schema .* does not exist/);
        await sql`rollback to savepoint stock`.execute(conn);
        const tables = await new CurrentSchemaIntrospector(conn).getTables({ withInternalKyselyTables: true });
        assert.ok(tables.some((t) => t.name === 'kysely_migration'));
      } finally {
        await sql`rollback`.execute(conn);
      }
    });
  });
});
