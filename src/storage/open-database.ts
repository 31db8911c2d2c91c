import { join } from 'node:path';
import { PGlite, type PGliteInterface } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock } from './lock-file.ts';
import type { DB } from './schema.ts';
import { CurrentSchemaIntrospector } from './schema-introspector.ts';
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
  override createIntrospector(db: Kysely<any>) {
    return new CurrentSchemaIntrospector(db);
  }
}

class CurrentSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>) {
    return new CurrentSchemaIntrospector(db);
  }
}

/** Wraps an open PGlite instance (embedded mode, and per-test clones). */
export function fromPGlite(pglite: PGliteInterface, onClose: () => void = () => {}): Database {
  const db = new Kysely<DB>({ dialect: new SerialPGliteDialect({ pglite }) });
  return {
    db,
    mode: 'embedded',
    async listen(channel, onNotify) {
      // LISTEN goes to PGlite directly, around the serialising driver: holding a checkout meanwhile
      // keeps it out of another caller's open transaction, whose rollback would cancel it.
      const unsubscribe = await db.connection().execute(() => pglite.listen(channel, onNotify));
      return () => db.connection().execute(() => unsubscribe());
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
  const db = new Kysely<DB>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
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
  const listeners = new Set<{ stop(): Promise<void> }>();
  return {
    db,
    mode: 'postgres',
    async listen(channel, onNotify) {
      const listener = listenWithReconnect(connectionOptions, channel, onNotify);
      await listener.ready;
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        await listener.stop();
      };
    },
    async close() {
      await Promise.all([...listeners].map((l) => l.stop()));
      listeners.clear();
      await db.destroy();
    },
  };
}

/**
 * A dedicated LISTEN connection that comes back after the server restarts or the network drops.
 * Notifications sent while it was down are lost, so it calls `onNotify('')` on every reconnect:
 * listeners treat a notification as "look again", never as the data itself.
 */
function listenWithReconnect(options: pg.ClientConfig, channel: string, onNotify: (payload: string) => void) {
  let stopped = false;
  let client: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let delay = 250;
  const connect = async (): Promise<void> => {
    const c = new pg.Client(options);
    client = c;
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify(n.payload ?? '');
    });
    c.on('error', () => retry(c));
    c.on('end', () => retry(c));
    await c.connect();
    await c.query(`listen ${pg.escapeIdentifier(channel)}`);
    delay = 250;
  };
  const retry = (failed: pg.Client) => {
    if (stopped || failed !== client || retryTimer) return;
    failed.end().catch(() => {});
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().then(
        () => onNotify(''),
        () => client && retry(client),
      );
    }, delay);
    retryTimer.unref();
    delay = Math.min(delay * 2, 10_000);
  };
  return {
    ready: connect().catch(async (e) => {
      stopped = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => {});
      throw e;
    }),
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => {});
    },
  };
}

export interface DatabaseConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  /** PostgreSQL pool size; default 10. */
  databasePoolSize?: number;
}

/** `VIGIL_DATABASE_URL` set means PostgreSQL; unset means the embedded database in the data directory. */
export function openDatabase(config: DatabaseConfig, now: Date): Promise<Database> {
  return config.databaseUrl ? openPostgres({ url: config.databaseUrl, ...(config.databasePoolSize ? { maxConnections: config.databasePoolSize } : {}) }) : openEmbedded(config.dataDir, now);
}
