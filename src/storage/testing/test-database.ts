import { randomBytes } from 'node:crypto';
import { after, describe } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../migrate.ts';
import { type Database, fromPGlite, openPostgres } from '../open-database.ts';

export type TestDatabaseKind = 'pglite' | 'postgres';

export const postgresTestUrl = (): string | undefined => process.env.VIGIL_TEST_DATABASE_URL || undefined;

export const POSTGRES_SKIP_REASON =
  'VIGIL_TEST_DATABASE_URL is not set: PostgreSQL storage tests skipped (CI always sets it)';

let template: Promise<PGlite> | undefined;

/** A migrated in-memory PGlite made once per process; each test database is a clone (~0.6 s, not ~3 s). */
let closeRegistered = false;

/**
 * An open PGlite keeps the test process alive for seconds after the last test, so the template is
 * closed by an `after` hook. Registered at file level (from `eachDatabase`) it runs once, after
 * every suite of the file; registered from inside a suite it runs when that suite ends.
 */
function closeTemplateAfterwards(): void {
  if (closeRegistered) return;
  closeRegistered = true;
  after(async () => {
    closeRegistered = false;
    const open = template;
    template = undefined;
    await (await open)?.close();
  });
}

function migratedTemplate(): Promise<PGlite> {
  closeTemplateAfterwards();
  template ??= (async () => {
    const pglite = await PGlite.create();
    const db = fromPGlite(pglite);
    await migrateToLatest(db.db);
    return pglite;
  })();
  return template;
}

/** A fresh, migrated embedded database of its own. */
export async function createPGliteTestDatabase(): Promise<Database> {
  const clone = await (await migratedTemplate()).clone();
  return fromPGlite(clone);
}

export interface PostgresTestDatabase extends Database {
  schema: string;
  url: string;
}

/**
 * A fresh schema on the test server, migrated, dropped again on close. Several `Database`s may be
 * opened on the same schema with `openPostgresSchema` (multi-node tests).
 */
export async function createPostgresTestDatabase(url = postgresTestUrl()): Promise<PostgresTestDatabase> {
  if (!url) throw new Error(POSTGRES_SKIP_REASON);
  const schema = `vigil_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  const database = await openPostgres({ url, schema });
  await migrateToLatest(database.db);
  return {
    ...database,
    schema,
    url,
    async close() {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db).catch(() => {});
      await database.close();
    },
  };
}

/** Another connection pool on an existing test schema (a second "node"). Closing it drops nothing. */
export function openPostgresSchema(url: string, schema: string, maxConnections?: number): Promise<Database> {
  return openPostgres({ url, schema, ...(maxConnections ? { maxConnections } : {}) });
}

export function createTestDatabase(kind: TestDatabaseKind): Promise<Database> {
  return kind === 'pglite' ? createPGliteTestDatabase() : createPostgresTestDatabase();
}

/**
 * Runs a suite once on the embedded database and once on real PostgreSQL. Without
 * VIGIL_TEST_DATABASE_URL the PostgreSQL half is reported as skipped, with the reason.
 */
export function eachDatabase(title: string, suite: (kind: TestDatabaseKind) => void): void {
  closeTemplateAfterwards();
  describe(`${title} [embedded PGlite]`, () => suite('pglite'));
  const skip = postgresTestUrl() ? false : POSTGRES_SKIP_REASON;
  describe(`${title} [PostgreSQL]`, { skip }, () => suite('postgres'));
}
