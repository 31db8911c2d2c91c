import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { type Config, describeConfig, loadConfig } from './config/load-config.ts';
import { contactJobs } from './core/contacts/index.ts';
import { escalationJobs, notifyJobs } from './core/escalation/index.ts';
import { handoffNoticeCron, handoffNoticeJobs } from './core/handoffs/index.ts';
import { heartbeatJobs } from './core/heartbeats/index.ts';
import { incidentJobs } from './core/incidents/index.ts';
import { noticeJobs } from './core/notices/index.ts';
import { type Clock, systemClock } from './core/shared/clock.ts';
import { webhookJobs } from './core/webhooks/index.ts';
import { alertRetentionCron, alertRetentionJobs, alertStatsCron, alertStatsJobs } from './core/alerts/index.ts';
import { bootstrap, type BootstrapResult, sessionCron, sessionJobs } from './core/users/index.ts';
import { createEngine, type Engine } from './engine/index.ts';
import { type App, createApp } from './http/app.ts';
import { createChannels } from './integrations/channels.ts';
import { sendWebhook } from './integrations/webhook/outbound.ts';
import { migrateToLatest } from './storage/migrate.ts';
import { type Database, openDatabase } from './storage/open-database.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

export interface RunningServer {
  url: string;
  config: Config;
  database: Database;
  app: App;
  bootstrap: BootstrapResult;
  engine: Engine;
  close(): Promise<void>;
}

/**
 * The composition root: configuration → database (+ migrations) → first-start bootstrap → job
 * engine → HTTP.
 * Each step that can fail throws with a one-line reason; nothing is half-started.
 */
export async function startServer(options: { env?: Record<string, string | undefined>; clock?: Clock; cwd?: string } = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const config = loadConfig(env, (p) => readFileSync(p, 'utf8'), options.cwd ?? process.cwd());
  const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] });
  logger.info(describeConfig(config), 'starting Vigil %s', VERSION);

  const database = await openDatabase(config, clock.now());
  let app: App | undefined;
  let engine: Engine | undefined;
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length) logger.info({ applied }, 'applied %d migration(s)', applied.length);
    const boot = await bootstrap({ db: database.db, clock }, config);
    // Every message to a person (verification codes, pages) goes out through one set of channels.
    const channels = createChannels(config);
    engine = createEngine({
      database,
      clock,
      leaseMs: config.engineLeaseSeconds * 1000,
      ...(config.databaseUrl ? { concurrency: config.engineConcurrency } : {}),
      handlers: [
        sessionJobs,
        heartbeatJobs,
        alertStatsJobs,
        alertRetentionJobs(config.alertLogRetentionDays),
        contactJobs(channels),
        escalationJobs,
        incidentJobs,
        notifyJobs(channels, { publicUrl: config.publicUrl, actionLinkTtlHours: config.actionLinkTtlHours }),
        noticeJobs(channels),
        handoffNoticeJobs({ leadMinutes: config.handoffNoticeMinutes, publicUrl: config.publicUrl }),
        webhookJobs(sendWebhook, { publicUrl: config.publicUrl, version: VERSION }),
      ],
      cron: [
        sessionCron,
        alertRetentionCron,
        ...(config.handoffNoticeMinutes > 0 ? [handoffNoticeCron] : []),
        // The embedded database has no autovacuum: keep the alert tables' statistics fresh.
        ...(config.databaseUrl ? [] : [alertStatsCron]),
      ],
      logger: logger.child({ module: 'engine' }),
    });
    await engine.start();
    app = await createApp({
      database,
      clock,
      config,
      version: VERSION,
      webDir: join(ROOT, 'web', 'dist'),
      logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    });
    const address = await app.listen({ host: config.host, port: config.port });
    const port = new URL(address).port;
    // With VIGIL_PORT=0 the OS picks the port; links must name the real one.
    const url = env.VIGIL_PUBLIC_URL ? config.publicUrl : config.publicUrl.replace(/:0$/, `:${port}`);
    const running = app;
    const runningEngine = engine;
    let closing: Promise<void> | undefined;
    return {
      url,
      config,
      database,
      app,
      bootstrap: boot,
      engine,
      close: () =>
        (closing ??= (async () => {
          await running.close();
          await runningEngine.stop();
          await database.close();
        })()),
    };
  } catch (e) {
    await app?.close().catch(() => {});
    await engine?.stop().catch(() => {});
    await database.close().catch(() => {});
    throw e;
  }
}

/** What a person reads on start: where Vigil is, and on the first start how to sign in. */
export function banner(server: RunningServer): string {
  const lines = [
    `Vigil ${VERSION} listening on ${server.url}`,
    server.config.databaseUrl
      ? '  Database: PostgreSQL (VIGIL_DATABASE_URL)'
      : `  Database: embedded, in ${server.config.dataDir} (survives a crash, not a power loss: use PostgreSQL in production)`,
    `  API docs: ${server.url}/api/docs`,
  ];
  const admin = server.bootstrap.admin;
  if (admin) {
    lines.push(
      '',
      '  First start: an administrator account was created.',
      `    Sign in at ${server.url}/login`,
      `    Email:     ${admin.email}`,
      admin.generated
        ? `    Password:  ${admin.password}   (shown only now: change it under Settings after signing in)`
        : '    Password:  the one in VIGIL_ADMIN_PASSWORD',
    );
  }
  if (server.bootstrap.tokenCreated) lines.push('', '  The API token from VIGIL_BOOTSTRAP_TOKEN was created with the admin scope.');
  return lines.join('\n');
}
