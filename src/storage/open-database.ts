import { join } from 'node:path';
import { PGlite, type PGliteInterface } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock } from './lock-file.ts';
import type { DB } from './schema.ts';
import { SerialDriver } from './serial-driver.ts';

// int8 (counts, identity ids) arrives as a string from pg and a number from PGlite: make both numbers.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export type DatabaseMode = 'embedded' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  mode: DatabaseMode;
  /** Subscribes to NOTIFY on a channel (cross-node wake-up on PostgreSQL, in-process on PGlite). */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** The PGlite dialect with every checkout serialised: the embedded database is one session. */
class SerialPGliteDialect extends PGliteDialect {
  override createDriver() {
    return new SerialDriver(super.createDriver());
  }
}

/** Wraps an open PGlite instance (embedded mode, and per-test clones). */
export function fromPGlite(pglite: PGliteInterface, onClose: () => void = () => {}): Database {
  const db = new Kysely<DB>({ dialect: new SerialPGliteDialect({ pglite }) });
  return {
    db,
    mode: 'embedded',
    async listen(channel, onNotify) {
      const unsubscribe = await pglite.listen(channel, onNotify);
      return () => unsubscribe();
    },
    async close() {
      try {
        await db.destroy();
      } finally {
        onClose();
      }
    },
  };
}

/** Opens the embedded database in `<dataDir>/pg`, holding `<dataDir>/vigil.lock` while open. */
export async function openEmbedded(dataDir: string, now: Date): Promise<Database> {
  const release = acquireDataDirLock(dataDir, now);
  try {
    const pglite = await PGlite.create(join(dataDir, 'pg'));
    return fromPGlite(pglite, release);
  } catch (e) {
    release();
    throw e;
  }
}

export interface PostgresOptions {
  url: string;
  /** Schema to use instead of `public` (tests isolate each suite in its own schema). */
  schema?: string;
  maxConnections?: number;
}

function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'the configured server';
  }
}

/** Connects to PostgreSQL and proves it answers, so a server that is down fails start-up clearly. */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const connectionOptions = {
    connectionString: options.url,
    connectionTimeoutMillis: 5000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  };
  const pool = new pg.Pool({ ...connectionOptions, max: options.maxConnections ?? 10 });
  pool.on('error', () => {}); // an idle client's error surfaces on its next query instead
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (e) {
    await db.destroy().catch(() => {});
    const reason = (e as Error).message || (e as NodeJS.ErrnoException).code || String(e);
    throw new DatabaseUnavailableError(
      `Cannot reach PostgreSQL at ${describeTarget(options.url)} (VIGIL_DATABASE_URL): ${reason}`,
      { cause: e },
    );
  }
  const listeners: pg.Client[] = [];
  return {
    db,
    mode: 'postgres',
    async listen(channel, onNotify) {
      const client = new pg.Client(connectionOptions);
      client.on('error', () => {});
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel) onNotify(n.payload ?? '');
      });
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end().catch(() => {});
      };
    },
    async close() {
      await Promise.all(listeners.splice(0).map((c) => c.end().catch(() => {})));
      await db.destroy();
    },
  };
}

export interface DatabaseConfig {
  databaseUrl: string | undefined;
  dataDir: string;
}

/** `VIGIL_DATABASE_URL` set means PostgreSQL; unset means the embedded database in the data directory. */
export function openDatabase(config: DatabaseConfig, now: Date): Promise<Database> {
  return config.databaseUrl ? openPostgres({ url: config.databaseUrl }) : openEmbedded(config.dataDir, now);
}
