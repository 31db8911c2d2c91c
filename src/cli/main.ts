import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_URL } from './api-client.ts';
import { registerAlertCommands } from './alerts.ts';
import { registerContactCommands } from './contacts.ts';
import { registerWebhookCommands } from './webhooks.ts';
import { registerIncidentCommands, registerPolicyCommands } from './incidents.ts';
import { registerScheduleCommands } from './schedules.ts';
import { act, type CliIo, type Context, httpCommand, positiveInteger, resolveServiceId, VERSION } from './command.ts';
import { CliError, errorLine, EXIT, formatFields, formatTable, formatTime } from './format.ts';
import type { ApiToken, IntegrationKey, Service, User } from './wire.ts';

export type { CliIo } from './command.ts';

/**
 * The `vigil` command. Server commands (serve, migrate) open the database themselves; every other
 * command talks to a running Vigil over HTTP with an API token, exactly like any other client.
 * Command groups with more than a few commands live in their own file (alerts.ts, schedules.ts, contacts.ts).
 */

/** Variables read by this command, not by the server: hidden from the server's configuration. */
const CLI_ONLY_ENV = ['VIGIL_URL', 'VIGIL_TOKEN', 'VIGIL_NEW_USER_PASSWORD'];

// ——— text renderings ———

function keyTable(ctx: Context, keys: IntegrationKey[]): string {
  if (!keys.length) return 'No active integration keys.\n';
  return formatTable(
    ['KEY ID', 'NAME', 'KEY', 'CREATED'],
    keys.map((k) => [k.id, k.name, k.key ?? `${k.keyPreview} (hidden: needs write permission)`, formatTime(k.createdAt)]),
    ctx.bold,
  );
}

function serviceText(ctx: Context, service: Service): string {
  return (
    formatFields([
      ['Service', service.name],
      ['ID', service.id],
      ['Description', service.description || '-'],
      ['Team', service.teamName ?? service.teamId ?? '-'],
      ['Runbook', service.runbookUrl ?? '-'],
      ['Created', formatTime(service.createdAt)],
      ['Updated', formatTime(service.updatedAt)],
    ]) +
    '\nIntegration keys:\n' +
    keyTable(ctx, service.integrationKeys)
  );
}

// ——— the program ———

function buildProgram(io: CliIo): Command {
  const program = new Command('vigil')
    .description('Vigil incident response: run the server, and manage it over its HTTP API.')
    .version(VERSION, '-V, --version', 'print the version')
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // Commander's own errors (usage) are one `vigil: …` line like every other failure.
      outputError: (text, write) => write(errorLine(text.replace(/^error: /, ''))),
      getOutHasColors: () => io.stdoutIsTTY && !io.env.NO_COLOR,
      getErrHasColors: () => false,
    })
    .exitOverride()
    // Options after a subcommand's name belong to that subcommand (`schedule swap accept <id> --json`,
    // where `schedule swap` has options of its own); the program's own are only -V and -h.
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Environment:
  VIGIL_URL      where Vigil runs, for the API commands (default ${DEFAULT_URL})
  VIGIL_TOKEN    API token for the API commands (create one with \`vigil token create\`)
  VIGIL_*        server settings for \`serve\` and \`migrate\` (docs: README)

Exit codes: 0 ok, 1 error, 2 usage, 3 cannot reach Vigil, 4 unauthorized or forbidden.`,
    );

  // ——— server commands ———

  program
    .command('serve')
    .description('run the Vigil server (reads VIGIL_* server settings from the environment)')
    .action(async () => {
      // serve() reads process.env itself; the CLI's own variables are not server settings.
      for (const name of CLI_ONLY_ENV) delete process.env[name];
      const { serve } = await import('../main.ts');
      await serve();
      if (process.exitCode !== undefined && Number(process.exitCode) !== 0) throw new CliError('', Number(process.exitCode));
    });

  act(
    io,
    program.command('migrate').description('apply pending database migrations (stop the server first when the database is embedded)').option('--json', 'print {"applied":[…]} as JSON'),
    async (ctx) => {
      const applied = await migrate(ctx.io);
      if (ctx.json) return ctx.printJson({ applied: applied.names });
      ctx.out(
        applied.names.length
          ? `Applied ${applied.names.length} migration(s) to ${applied.target}:\n${applied.names.map((n) => `  ${n}\n`).join('')}`
          : `Database already current (${applied.target}): no migration to apply.\n`,
      );
    },
  );

  const user = program.command('user').description('manage users (`user create` needs an admin token), contact methods and notification rules');
  act(
    io,
    httpCommand(user, 'create', 'create a user; the password may come from $VIGIL_NEW_USER_PASSWORD (keeps it out of shell history)')
      .requiredOption('--email <email>', 'sign-in email')
      .requiredOption('--name <name>', 'display name')
      .addOption(new Option('--role <role>', 'what the user may do').choices(['admin', 'responder', 'observer']).makeOptionMandatory())
      .option('--time-zone <zone>', 'IANA time zone, e.g. Europe/London (default UTC)')
      .option('--password <password>', 'initial password, 12+ characters (prefer $VIGIL_NEW_USER_PASSWORD)'),
    async (ctx) => {
      const { email, name, role, timeZone } = ctx.opts as { email: string; name: string; role: string; timeZone?: string };
      const password = (ctx.opts.password as string | undefined) ?? (ctx.io.env.VIGIL_NEW_USER_PASSWORD || undefined);
      const result = await ctx.api().request<{ user: User }>('POST', '/users', {
        email,
        name,
        role,
        ...(timeZone !== undefined ? { timeZone } : {}),
        ...(password !== undefined ? { password } : {}),
      });
      if (password === undefined) ctx.io.stderr('vigil: note: no password was set (--password or VIGIL_NEW_USER_PASSWORD); this user cannot sign in with a password yet\n');
      if (ctx.json) return ctx.printJson(result);
      const u = result.user;
      ctx.out(formatFields([['Created user', `${u.name} <${u.email}>`], ['ID', u.id], ['Role', u.role], ['Time zone', u.timeZone]]));
    },
  );

  // ——— API tokens ———

  const token = program.command('token').description('manage your API tokens');
  act(
    io,
    httpCommand(token, 'create', 'create an API token; its secret is printed once, on stdout')
      .requiredOption('--name <name>', 'what the token is for, e.g. "ci deploys"')
      .addOption(new Option('--scope <scope>', 'read, write or admin (never more than your own role)').choices(['read', 'write', 'admin']).makeOptionMandatory())
      .option('--expires-in-days <n>', 'expire after this many days (default: never)', positiveInteger),
    async (ctx) => {
      const { name, scope, expiresInDays } = ctx.opts as { name: string; scope: string; expiresInDays?: number };
      const result = await ctx.api().request<{ token: ApiToken; secret: string }>('POST', '/tokens', {
        name,
        scope,
        ...(expiresInDays !== undefined ? { expiresInDays } : {}),
      });
      const t = result.token;
      ctx.io.stderr(
        `vigil: created token "${t.name}" (${t.scope} scope, id ${t.id}, expires ${formatTime(t.expiresAt, 'never')}): store the secret now, it is shown only this once\n`,
      );
      if (ctx.json) return ctx.printJson(result);
      ctx.out(`${result.secret}\n`);
    },
  );
  act(io, httpCommand(token, 'list', 'list your tokens that are not revoked (never their secrets)'), async (ctx) => {
    const result = await ctx.api().request<{ tokens: ApiToken[] }>('GET', '/tokens');
    if (ctx.json) return ctx.printJson(result);
    if (!result.tokens.length) return ctx.out('No API tokens.\n');
    ctx.out(
      formatTable(
        ['ID', 'NAME', 'SCOPE', 'PREFIX', 'CREATED', 'EXPIRES', 'LAST USED'],
        result.tokens.map((t) => [t.id, t.name, t.scope, `${t.prefix}…`, formatTime(t.createdAt), formatTime(t.expiresAt, 'never'), formatTime(t.lastUsedAt, 'never')]),
        ctx.bold,
      ),
    );
  });
  act(io, httpCommand(token, 'revoke', 'revoke a token at once', { json: false }).argument('<id>', 'token id (vigil token list)'), async (ctx, id) => {
    await ctx.api().request('DELETE', `/tokens/${encodeURIComponent(id!)}`);
    ctx.out(`Revoked token ${id}.\n`);
  });

  // ——— services ———

  const service = program.command('service').description('manage services and their integration keys');
  act(
    io,
    httpCommand(service, 'create', 'create a service; it comes with one integration key')
      .requiredOption('--name <name>', 'service name (unique, case-insensitively)')
      .option('--description <text>', 'what the service is')
      .option('--runbook-url <url>', 'http(s) link to its runbook')
      .option('--team-id <id>', 'owning team'),
    async (ctx) => {
      const { name, description, runbookUrl, teamId } = ctx.opts as { name: string; description?: string; runbookUrl?: string; teamId?: string };
      const result = await ctx.api().request<{ service: Service }>('POST', '/services', {
        name,
        ...(description !== undefined ? { description } : {}),
        ...(runbookUrl !== undefined ? { runbookUrl } : {}),
        ...(teamId !== undefined ? { teamId } : {}),
      });
      if (ctx.json) return ctx.printJson(result);
      ctx.out(serviceText(ctx, result.service));
    },
  );
  act(io, httpCommand(service, 'list', 'list services (keys shortened; `service show` prints them)'), async (ctx) => {
    const result = await ctx.api().request<{ services: Service[] }>('GET', '/services');
    if (ctx.json) return ctx.printJson(result);
    if (!result.services.length) return ctx.out('No services yet: vigil service create --name <name>\n');
    ctx.out(
      formatTable(
        ['ID', 'NAME', 'TEAM', 'KEYS', 'CREATED'],
        result.services.map((s) => [s.id, s.name, s.teamName ?? '-', s.integrationKeys.map((k) => k.keyPreview).join(', ') || '-', formatTime(s.createdAt)]),
        ctx.bold,
      ),
    );
  });
  act(io, httpCommand(service, 'show', 'one service with its integration keys').argument('<service>', 'service id or name'), async (ctx, ref) => {
    const api = ctx.api();
    const id = await resolveServiceId(api, ref!);
    const result = await api.request<{ service: Service }>('GET', `/services/${id}`);
    if (ctx.json) return ctx.printJson(result);
    ctx.out(serviceText(ctx, result.service));
  });
  act(
    io,
    httpCommand(service, 'rotate-key', 'replace an integration key: the new key works and the old one is refused from the same instant')
      .argument('<service>', 'service id or name')
      .argument('<keyId>', 'integration key id (vigil service show)'),
    async (ctx, ref, keyId) => {
      const api = ctx.api();
      const id = await resolveServiceId(api, ref!);
      const result = await api.request<{ integrationKey: IntegrationKey }>('POST', `/services/${id}/integration-keys/${encodeURIComponent(keyId!)}/rotate`);
      if (ctx.json) return ctx.printJson(result);
      const k = result.integrationKey;
      ctx.out(formatFields([['New key', k.key ?? k.keyPreview], ['Key ID', k.id], ['Name', k.name], ['Replaces', `${keyId} (refused from now on)`]]));
    },
  );
  act(
    io,
    httpCommand(service, 'revoke-key', 'revoke an integration key at once', { json: false })
      .argument('<service>', 'service id or name')
      .argument('<keyId>', 'integration key id (vigil service show)'),
    async (ctx, ref, keyId) => {
      const api = ctx.api();
      const id = await resolveServiceId(api, ref!);
      await api.request('DELETE', `/services/${id}/integration-keys/${encodeURIComponent(keyId!)}`);
      ctx.out(`Revoked integration key ${keyId} of service ${ref}.\n`);
    },
  );

  registerAlertCommands(io, program);
  registerIncidentCommands(io, program);
  registerPolicyCommands(io, program);
  registerScheduleCommands(io, program);
  registerContactCommands(io, program, user);
  registerWebhookCommands(io, program);

  // ——— who am I ———

  act(io, httpCommand(program, 'whoami', 'the user behind the token, and where Vigil is'), async (ctx) => {
    const api = ctx.api();
    const result = await api.request<{ user: User; via: string }>('GET', '/me');
    if (ctx.json) return ctx.printJson(result);
    const u = result.user;
    ctx.out(formatFields([['User', `${u.name} <${u.email}>`], ['Role', u.role], ['Time zone', u.timeZone], ['Signed in via', result.via], ['Vigil', api.baseUrl]]));
  });

  return program;
}

/** `vigil migrate`: the server's configuration from the environment, the database, pending migrations. */
async function migrate(io: CliIo): Promise<{ names: string[]; target: string }> {
  const [{ ConfigError, loadConfig, describeConfig }, { openDatabase, DatabaseUnavailableError }, { DataDirInUseError }, { migrateToLatest }, { systemClock }] =
    await Promise.all([
      import('../config/load-config.ts'),
      import('../storage/open-database.ts'),
      import('../storage/lock-file.ts'),
      import('../storage/migrate.ts'),
      import('../core/shared/clock.ts'),
    ]);
  const env = Object.fromEntries(Object.entries(io.env).filter(([name]) => !CLI_ONLY_ENV.includes(name)));
  let config;
  try {
    config = loadConfig(env, (path) => readFileSync(path, 'utf8'), io.cwd);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(`invalid configuration: ${e.issues.map((i) => `${i.key}: ${i.reason}`).join('; ')}`, EXIT.ERROR);
    throw e;
  }
  const target = String(describeConfig(config).database);
  let database;
  try {
    database = await openDatabase(config, systemClock.now());
  } catch (e) {
    if (e instanceof DataDirInUseError || e instanceof DatabaseUnavailableError) throw new CliError(e.message, EXIT.ERROR);
    throw new CliError(`cannot open the database (${target}): ${(e as Error).message}`, EXIT.ERROR);
  }
  try {
    return { names: await migrateToLatest(database.db), target };
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.ERROR);
  } finally {
    await database.close();
  }
}

/** Commander's outcomes: help and version are successes; every other of its errors is a usage error. */
function exitCodeOfCommander(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.OK;
  if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  return EXIT.USAGE;
}

/**
 * Runs one command line (`argv` as in process.argv: node, script, args…) and resolves to its exit
 * code. Never throws and never exits the process, so tests call it in-process.
 */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const full: CliIo = {
    stdout: io.stdout ?? ((text) => void process.stdout.write(text)),
    stderr: io.stderr ?? ((text) => void process.stderr.write(text)),
    env: io.env ?? process.env,
    fetch: io.fetch ?? globalThis.fetch,
    stdoutIsTTY: io.stdoutIsTTY ?? (io.stdout === undefined && process.stdout.isTTY === true),
    columns: io.columns ?? (io.stdout === undefined && process.stdout.isTTY === true ? process.stdout.columns : undefined),
    cwd: io.cwd ?? process.cwd(),
    now: io.now ?? Date.now,
  };
  try {
    await buildProgram(full).parseAsync([...argv]);
    return EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) return exitCodeOfCommander(e);
    if (e instanceof CliError) {
      if (e.message) full.stderr(errorLine(e.message));
      return e.exitCode;
    }
    full.stderr(errorLine(`unexpected error: ${(e as Error)?.message ?? String(e)}`));
    return EXIT.ERROR;
  }
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  // Not process.exit(): `serve` keeps running after run() resolves, and pending output must flush.
  process.exitCode = await run(argv);
}

if (import.meta.main) await main();
