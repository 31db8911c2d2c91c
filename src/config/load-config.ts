import { resolve } from 'node:path';

/** The server's start-up configuration; only the composition root reads the environment. */
export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  /** Alert events a minute per integration key (PagerDuty allows 120). */
  ingestRateLimitPerMinute: number;
  sessionTtlHours: number;
  alertLogRetentionDays: number;
  handoffNoticeMinutes: number;
  /** Jobs (escalation steps, sends) one node runs at once on PostgreSQL; embedded always runs 1. */
  engineConcurrency: number;
  /** How long a running job is its node's before another node may take it over (a crashed node's jobs wait this long). */
  engineLeaseSeconds: number;
  /** PostgreSQL connections one node's pool may open (the engine's running jobs plus HTTP requests). */
  databasePoolSize: number;
  /** How long the acknowledge / resolve links in a page work (core/action-links). */
  actionLinkTtlHours: number;
  trustProxy: boolean;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  bootstrapToken: string | undefined;
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** Slack contact methods (member and channel ids) go out through this bot (`xoxb-…`). */
  slackBotToken: string | undefined;
  slackApiUrl: string;
  /** SMS and voice through a Twilio-compatible API: all three or none. */
  twilioAccountSid: string | undefined;
  twilioAuthToken: string | undefined;
  /** The E.164 number texts and calls come from. */
  twilioFrom: string | undefined;
  twilioBaseUrl: string;
}

export interface ConfigIssue {
  key: string;
  reason: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(`Invalid configuration: ${issues.map((i) => `${i.key}: ${i.reason}`).join('; ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

type Parser = (raw: string) => { value: unknown } | { reason: string };

const text: Parser = (raw) => (raw.trim() ? { value: raw.trim() } : { reason: 'must not be empty' });
const integer =
  (min: number, max: number): Parser =>
  (raw) => {
    const n = Number(raw);
    return Number.isInteger(n) && n >= min && n <= max
      ? { value: n }
      : { reason: `must be a whole number from ${min} to ${max} (got "${raw}")` };
  };
const bool: Parser = (raw) =>
  /^(true|1|yes)$/i.test(raw) ? { value: true } : /^(false|0|no)$/i.test(raw) ? { value: false } : { reason: 'must be true or false' };
const oneOf =
  (...allowed: string[]): Parser =>
  (raw) => (allowed.includes(raw) ? { value: raw } : { reason: `must be one of ${allowed.join(', ')} (got "${raw}")` });
const url =
  (...protocols: string[]): Parser =>
  (raw) => {
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) return { reason: `must be a ${protocols.join(' or ')} URL` };
      return { value: raw.replace(/\/+$/, '') };
    } catch {
      return { reason: 'must be an absolute URL' };
    }
  };
const email: Parser = (raw) =>
  /^[^\s@]+@[^\s@]+$/.test(raw.trim()) ? { value: raw.trim() } : { reason: 'must be an email address' };
const phone: Parser = (raw) =>
  /^\+[1-9]\d{6,14}$/.test(raw.trim()) ? { value: raw.trim() } : { reason: 'must be a phone number in E.164 format, e.g. +14155550123' };
// It is a path segment of every request URL.
const accountSid: Parser = (raw) => (/^[A-Za-z0-9]{1,64}$/.test(raw.trim()) ? { value: raw.trim() } : { reason: 'must be letters and digits (AC…)' });
const minLength =
  (n: number): Parser =>
  (raw) => (raw.length >= n ? { value: raw } : { reason: `must be at least ${n} characters` });

/** Every setting: environment name, config-file key, parser. Defaults live in `loadConfig`. */
const SETTINGS = {
  databaseUrl: ['VIGIL_DATABASE_URL', url('postgres:', 'postgresql:')],
  dataDir: ['VIGIL_DATA_DIR', text],
  host: ['VIGIL_HOST', text],
  port: ['VIGIL_PORT', integer(0, 65535)],
  publicUrl: ['VIGIL_PUBLIC_URL', url('http:', 'https:')],
  logLevel: ['VIGIL_LOG_LEVEL', oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')],
  bodyLimitBytes: ['VIGIL_BODY_LIMIT_BYTES', integer(1024, 64 * 1024 * 1024)],
  rateLimitPerMinute: ['VIGIL_RATE_LIMIT_PER_MINUTE', integer(1, 1_000_000)],
  ingestRateLimitPerMinute: ['VIGIL_INGEST_RATE_LIMIT_PER_MINUTE', integer(1, 10_000_000)],
  sessionTtlHours: ['VIGIL_SESSION_TTL_HOURS', integer(1, 24 * 90)],
  alertLogRetentionDays: ['VIGIL_ALERT_LOG_RETENTION_DAYS', integer(1, 3650)],
  handoffNoticeMinutes: ['VIGIL_HANDOFF_NOTICE_MINUTES', integer(0, 1440)],
  engineConcurrency: ['VIGIL_ENGINE_CONCURRENCY', integer(1, 256)],
  engineLeaseSeconds: ['VIGIL_ENGINE_LEASE_SECONDS', integer(5, 3600)],
  databasePoolSize: ['VIGIL_DATABASE_POOL_SIZE', integer(2, 1000)],
  actionLinkTtlHours: ['VIGIL_ACTION_LINK_TTL_HOURS', integer(1, 24 * 30)],
  trustProxy: ['VIGIL_TRUST_PROXY', bool],
  adminEmail: ['VIGIL_ADMIN_EMAIL', email],
  adminPassword: ['VIGIL_ADMIN_PASSWORD', minLength(12)],
  bootstrapToken: ['VIGIL_BOOTSTRAP_TOKEN', minLength(32)],
  smtpUrl: ['VIGIL_SMTP_URL', url('smtp:', 'smtps:')],
  smtpFrom: ['VIGIL_SMTP_FROM', text],
  slackBotToken: ['VIGIL_SLACK_BOT_TOKEN', text],
  slackApiUrl: ['VIGIL_SLACK_API_URL', url('http:', 'https:')],
  twilioAccountSid: ['VIGIL_TWILIO_ACCOUNT_SID', accountSid],
  twilioAuthToken: ['VIGIL_TWILIO_AUTH_TOKEN', text],
  twilioFrom: ['VIGIL_TWILIO_FROM', phone],
  twilioBaseUrl: ['VIGIL_TWILIO_BASE_URL', url('http:', 'https:')],
} as const satisfies Record<keyof Config, readonly [string, Parser]>;

/** VIGIL_* variables read by other programs (the CLI, the test suite), not by the server. */
const NOT_SERVER_SETTINGS = new Set(['VIGIL_CONFIG_FILE', 'VIGIL_URL', 'VIGIL_TOKEN', 'VIGIL_NEW_USER_PASSWORD', 'VIGIL_TEST_DATABASE_URL']);

/**
 * Builds the configuration from defaults < config file (JSON, camelCase keys) < environment.
 * Every problem is collected and thrown together, so one start-up shows all of them.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string = () => {
    throw new Error('no file reader');
  },
  cwd = '.',
): Config {
  const issues: ConfigIssue[] = [];
  const raw: Partial<Record<keyof Config, string>> = {};

  const file = env.VIGIL_CONFIG_FILE;
  if (file) {
    try {
      const parsed: unknown = JSON.parse(readFile(file));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('must hold a JSON object');
      for (const [key, value] of Object.entries(parsed)) {
        if (!(key in SETTINGS)) issues.push({ key: `${file}: ${key}`, reason: 'is not a known setting' });
        else if (value !== null && value !== undefined) raw[key as keyof Config] = String(value);
      }
    } catch (e) {
      issues.push({ key: 'VIGIL_CONFIG_FILE', reason: `cannot read ${file}: ${(e as Error).message}` });
    }
  }

  const known = new Set<string>(Object.values(SETTINGS).map(([name]) => name));
  for (const name of Object.keys(env)) {
    if (name.startsWith('VIGIL_') && !known.has(name) && !NOT_SERVER_SETTINGS.has(name)) {
      issues.push({ key: name, reason: 'is not a known setting (misspelt?)' });
    }
  }
  for (const [key, [name]] of Object.entries(SETTINGS)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[key as keyof Config] = value;
  }

  const values: Partial<Record<keyof Config, unknown>> = {};
  for (const [key, [name, parse]] of Object.entries(SETTINGS) as [keyof Config, readonly [string, Parser]][]) {
    const input = raw[key];
    if (input === undefined) continue;
    const result = parse(input);
    if ('reason' in result) issues.push({ key: name, reason: result.reason });
    else values[key] = result.value;
  }
  // Half a Twilio set-up would accept SMS methods and then fail every send.
  const twilio = (['twilioAccountSid', 'twilioAuthToken', 'twilioFrom'] as const).filter((k) => raw[k] !== undefined);
  if (twilio.length > 0 && twilio.length < 3) {
    issues.push({ key: 'VIGIL_TWILIO_*', reason: 'set all of VIGIL_TWILIO_ACCOUNT_SID, VIGIL_TWILIO_AUTH_TOKEN and VIGIL_TWILIO_FROM, or none' });
  }
  if (issues.length) throw new ConfigError(issues);

  const host = (values.host as string | undefined) ?? '127.0.0.1';
  const port = (values.port as number | undefined) ?? 8080;
  const engineConcurrency = (values.engineConcurrency as number | undefined) ?? 16;
  const linkHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return Object.freeze({
    databaseUrl: values.databaseUrl as string | undefined,
    dataDir: resolve(cwd, (values.dataDir as string | undefined) ?? '.vigil-data'),
    host,
    port,
    publicUrl: (values.publicUrl as string | undefined) ?? `http://${linkHost}:${port}`,
    logLevel: (values.logLevel as Config['logLevel'] | undefined) ?? 'info',
    bodyLimitBytes: (values.bodyLimitBytes as number | undefined) ?? 1024 * 1024,
    rateLimitPerMinute: (values.rateLimitPerMinute as number | undefined) ?? 600,
    ingestRateLimitPerMinute: (values.ingestRateLimitPerMinute as number | undefined) ?? 6000,
    sessionTtlHours: (values.sessionTtlHours as number | undefined) ?? 24 * 14,
    alertLogRetentionDays: (values.alertLogRetentionDays as number | undefined) ?? 90,
    handoffNoticeMinutes: (values.handoffNoticeMinutes as number | undefined) ?? 30,
    engineConcurrency,
    engineLeaseSeconds: (values.engineLeaseSeconds as number | undefined) ?? 300,
    // Room for every running job plus requests served meanwhile.
    databasePoolSize: (values.databasePoolSize as number | undefined) ?? engineConcurrency + 10,
    actionLinkTtlHours: (values.actionLinkTtlHours as number | undefined) ?? 24,
    trustProxy: (values.trustProxy as boolean | undefined) ?? false,
    adminEmail: values.adminEmail as string | undefined,
    adminPassword: values.adminPassword as string | undefined,
    bootstrapToken: values.bootstrapToken as string | undefined,
    smtpUrl: values.smtpUrl as string | undefined,
    smtpFrom: (values.smtpFrom as string | undefined) ?? 'Vigil <vigil@localhost>',
    slackBotToken: values.slackBotToken as string | undefined,
    slackApiUrl: (values.slackApiUrl as string | undefined) ?? 'https://slack.com/api',
    twilioAccountSid: values.twilioAccountSid as string | undefined,
    twilioAuthToken: values.twilioAuthToken as string | undefined,
    twilioFrom: values.twilioFrom as string | undefined,
    twilioBaseUrl: (values.twilioBaseUrl as string | undefined) ?? 'https://api.twilio.com',
  });
}

/** Secrets never reach logs: this is what start-up prints about its configuration. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    database: config.databaseUrl ? 'postgres' : `embedded (${config.dataDir})`,
    listen: `${config.host}:${config.port}`,
    publicUrl: config.publicUrl,
    // Which channels can page, never their credentials.
    channels: [
      'webhook',
      'slack_webhook',
      'teams',
      ...(config.smtpUrl ? ['email'] : []),
      ...(config.slackBotToken ? ['slack'] : []),
      ...(config.twilioAccountSid ? ['sms', 'voice'] : []),
    ],
  };
}
