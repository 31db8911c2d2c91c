import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type ApiClient, createApiClient, DEFAULT_URL } from './api-client.ts';
import { CliError, EXIT, UUID } from './format.ts';
import type { Service } from './wire.ts';

/**
 * What every command file shares: the I/O a command runs with, its context (options, output,
 * the API client), and the helpers that declare commands the same way everywhere.
 */

export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  /** Colours (bold table headers) only when stdout is a terminal and NO_COLOR is unset. */
  stdoutIsTTY: boolean;
  /** The terminal's width when stdout is one; wide tables shorten their last column to fit. */
  columns: number | undefined;
  cwd: string;
  /** Milliseconds since the epoch: ages in tables, `--since 1h`. */
  now: () => number;
}

export interface Context {
  io: CliIo;
  opts: Record<string, unknown>;
  json: boolean;
  out: (text: string) => void;
  /** The command's answer as the API's JSON document, and nothing else on stdout. */
  printJson: (value: unknown) => void;
  bold: (text: string) => string;
  /** Where tables must fit: the terminal's width, else $COLUMNS, else no limit (a pipe gets whole lines). */
  width: number | undefined;
  api: () => ApiClient;
}

export function contextOf(io: CliIo, command: Command): Context {
  const opts = command.opts();
  const colour = io.stdoutIsTTY && !io.env.NO_COLOR;
  const envColumns = Number(io.env.COLUMNS);
  let client: ApiClient | undefined;
  return {
    io,
    opts,
    json: opts.json === true,
    out: io.stdout,
    printJson: (value) => io.stdout(`${JSON.stringify(value, null, 2)}\n`),
    bold: (text) => (colour ? `\u001b[1m${text}\u001b[22m` : text),
    width: io.columns ?? (Number.isSafeInteger(envColumns) && envColumns > 0 ? envColumns : undefined),
    api: () =>
      (client ??= createApiClient({
        url: (opts.url as string | undefined) ?? (io.env.VIGIL_URL || undefined),
        urlFromFlag: opts.url !== undefined,
        token: (opts.token as string | undefined) ?? io.env.VIGIL_TOKEN,
        fetch: io.fetch,
        userAgent: `vigil-cli/${VERSION}`,
      })),
  };
}

/** Adds an action that receives the context and the positional arguments (a variadic one as an array). */
export function act<A extends unknown[] = string[]>(io: CliIo, command: Command, fn: (ctx: Context, ...args: A) => Promise<void>): Command {
  return command.action(async (...params: unknown[]) => {
    const self = params.at(-1) as Command;
    await fn(contextOf(io, self), ...(params.slice(0, -2) as A));
  });
}

/** --url and --token for commands that talk to the API; --json for those that print data. */
export function httpCommand(parent: Command, name: string, description: string, { json = true } = {}): Command {
  const command = parent
    .command(name)
    .description(description)
    .addOption(new Option('--url <url>', `Vigil's address (default: $VIGIL_URL, else ${DEFAULT_URL})`))
    .addOption(new Option('--token <token>', 'API token (default: $VIGIL_TOKEN; prefer the variable: flags end up in shell history)'));
  if (json) command.option('--json', "print the API's JSON response instead of text");
  return command;
}

// ——— option parsers (throwing InvalidArgumentError makes commander report a usage error, exit 2) ———

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('Expected a whole number of at least 1.');
  return n;
}

/** A comma-separated list of some of `allowed` (`--status triggered,acknowledged`); repeats add up. */
export function listOf(allowed: readonly string[]) {
  return (value: string, previous: string[] | undefined): string[] => {
    const items = value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const wrong = items.filter((s) => !allowed.includes(s));
    if (!items.length || wrong.length) throw new InvalidArgumentError(`Expected a comma-separated list of ${allowed.join(', ')}${wrong.length ? ` (not ${wrong.join(', ')})` : ''}.`);
    return [...new Set([...(previous ?? []), ...items])];
  };
}

/** `key=value`, repeatable, into an object (a later key wins). */
export function keyValue(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const at = value.indexOf('=');
  const key = at > 0 ? value.slice(0, at).trim() : '';
  if (!key) throw new InvalidArgumentError('Expected key=value.');
  return { ...previous, [key]: value.slice(at + 1) };
}

// ——— lookups shared by commands ———

/** A service by its id, else by its name (exactly, else case-insensitively, like the API's uniqueness). */
export async function findService(api: ApiClient, idOrName: string): Promise<Service> {
  if (UUID.test(idOrName)) return (await api.request<{ service: Service }>('GET', `/services/${idOrName}`)).service;
  const { services } = await api.request<{ services: Service[] }>('GET', '/services');
  const wanted = idOrName.trim().toLowerCase();
  const found = services.find((s) => s.name === idOrName) ?? services.find((s) => s.name.toLowerCase() === wanted);
  if (!found) throw new CliError(`NOT_FOUND no service is named "${idOrName}" (vigil service list shows them)`, EXIT.ERROR);
  return found;
}

/** A service argument as its id: a UUID as is (no request), else the service with that name. */
export async function resolveServiceId(api: ApiClient, idOrName: string): Promise<string> {
  return UUID.test(idOrName) ? idOrName : (await findService(api, idOrName)).id;
}
