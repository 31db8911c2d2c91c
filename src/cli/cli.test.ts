import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type RunningServer, startServer } from '../server.ts';
import { migrations } from '../storage/migrations/index.ts';
import { assertOneLine, noFetch, vigil } from './testing/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN_EMAIL = 'cli-admin@example.com';

/** A port nothing listens on: bind one, then let it go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('vigil against a running server', () => {
  let server: RunningServer;
  let dataDir: string;
  let env: Record<string, string>;
  const bootstrapToken = randomBytes(20).toString('hex'); // 40 characters

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vigil-cli-'));
    server = await startServer({
      env: {
        VIGIL_DATA_DIR: dataDir,
        VIGIL_PORT: '0',
        VIGIL_HOST: '127.0.0.1',
        VIGIL_LOG_LEVEL: 'silent',
        VIGIL_BOOTSTRAP_TOKEN: bootstrapToken,
        VIGIL_ADMIN_EMAIL: ADMIN_EMAIL,
        VIGIL_ADMIN_PASSWORD: 'correct horse battery staple',
      },
    });
    env = { VIGIL_URL: server.url, VIGIL_TOKEN: bootstrapToken };
  });

  after(async () => {
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a service and prints the API response as one JSON document with a 32-character key', async () => {
    const r = await vigil(env, ['service', 'create', '--name', 'checkout', '--description', 'Payments front end', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const body = JSON.parse(r.out) as { service: { id: string; name: string; integrationKeys: { key: string }[] } };
    assert.deepEqual(Object.keys(body), ['service']);
    assert.equal(body.service.name, 'checkout');
    assert.equal(body.service.integrationKeys.length, 1);
    assert.match(body.service.integrationKeys[0]!.key, /^[a-z0-9]{32}$/);
  });

  it('prints the service and its full integration key as text', async () => {
    const r = await vigil(env, ['service', 'create', '--name', 'search', '--runbook-url', 'https://wiki.example.com/search']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Service:\s+search$/m);
    assert.match(r.out, /^Runbook:\s+https:\/\/wiki\.example\.com\/search$/m);
    assert.match(r.out, /\b[a-z0-9]{32}\b/);
  });

  it('lists services as a plain table, bold headers only on a terminal', async () => {
    await vigil(env, ['service', 'create', '--name', 'inventory']);
    const r = await vigil(env, ['service', 'list']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^ID\s+NAME\s+TEAM\s+KEYS\s+CREATED$/m);
    assert.match(r.out, /^[0-9a-f-]{36}\s+inventory\s/m);
    assert.doesNotMatch(r.out, /\u001b/);
    const tty = await vigil(env, ['service', 'list'], { stdoutIsTTY: true });
    assert.match(tty.out, /^\u001b\[1mID/);
  });

  it('shows a service found by its name or its id', async () => {
    const created = JSON.parse((await vigil(env, ['service', 'create', '--name', 'Billing API', '--json'])).out) as { service: { id: string; integrationKeys: { key: string }[] } };
    const byName = await vigil(env, ['service', 'show', 'billing api']);
    assert.equal(byName.code, 0, byName.err);
    assert.match(byName.out, new RegExp(`^ID:\\s+${created.service.id}$`, 'm'));
    assert.ok(byName.out.includes(created.service.integrationKeys[0]!.key));
    const byId = await vigil(env, ['service', 'show', created.service.id, '--json']);
    assert.equal(byId.code, 0, byId.err);
    assert.deepEqual(JSON.parse(byId.out), JSON.parse((await vigil(env, ['service', 'show', 'Billing API', '--json'])).out));
  });

  it('says NOT_FOUND for a service name that does not exist', async () => {
    const r = await vigil(env, ['service', 'show', 'no-such-service']);
    assert.equal(r.code, 1);
    assertOneLine(r.err, /NOT_FOUND no service is named "no-such-service"/);
  });

  it('rotates a key (new key works, old one is gone) and revokes keys', async () => {
    const created = JSON.parse((await vigil(env, ['service', 'create', '--name', 'ledger', '--json'])).out) as { service: { integrationKeys: { id: string; key: string }[] } };
    const old = created.service.integrationKeys[0]!;
    const rotated = await vigil(env, ['service', 'rotate-key', 'ledger', old.id, '--json']);
    assert.equal(rotated.code, 0, rotated.err);
    const fresh = (JSON.parse(rotated.out) as { integrationKey: { id: string; key: string } }).integrationKey;
    assert.match(fresh.key, /^[a-z0-9]{32}$/);
    assert.notEqual(fresh.key, old.key);
    const shown = JSON.parse((await vigil(env, ['service', 'show', 'ledger', '--json'])).out) as { service: { integrationKeys: { id: string }[] } };
    assert.deepEqual(shown.service.integrationKeys.map((k) => k.id), [fresh.id]);

    const revoked = await vigil(env, ['service', 'revoke-key', 'ledger', fresh.id]);
    assert.equal(revoked.code, 0, revoked.err);
    assert.match((await vigil(env, ['service', 'show', 'ledger'])).out, /No active integration keys\./);
    const again = await vigil(env, ['service', 'revoke-key', 'ledger', fresh.id]);
    assert.equal(again.code, 1);
    assertOneLine(again.err, /^vigil: NOT_FOUND .*\(request [^)]+\)\n$/);
  });

  it('reports an API validation error as one line naming the field and the request id', async () => {
    const r = await vigil(env, ['service', 'create', '--name', '   ']);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assertOneLine(r.err, /^vigil: VALIDATION body\.name: must not be empty \(request [0-9a-f-]{36}\)\n$/);
  });

  it('reports a duplicate service as CONFLICT', async () => {
    await vigil(env, ['service', 'create', '--name', 'dupe']);
    const r = await vigil(env, ['service', 'create', '--name', 'DUPE']);
    assert.equal(r.code, 1);
    assertOneLine(r.err, /^vigil: CONFLICT /);
  });

  it('creates a token whose secret works for whoami; once revoked it is refused with exit 4', async () => {
    const created = await vigil(env, ['token', 'create', '--name', 'ci', '--scope', 'write', '--expires-in-days', '30']);
    assert.equal(created.code, 0, created.err);
    const secret = created.out.trim();
    assert.match(secret, /^vgl_[a-z0-9]{40}$/);
    assertOneLine(created.err, /created token "ci" \(write scope, id [0-9a-f-]{36}, expires \d{4}-\d\d-\d\d \d\d:\d\d UTC\).*shown only this once/);

    const mine = { VIGIL_URL: server.url, VIGIL_TOKEN: secret };
    const me = await vigil(mine, ['whoami']);
    assert.equal(me.code, 0, me.err);
    assert.match(me.out, new RegExp(`^User:\\s+Administrator <${ADMIN_EMAIL}>$`, 'm'));
    assert.match(me.out, /^Signed in via:\s+token$/m);

    const list = JSON.parse((await vigil(env, ['token', 'list', '--json'])).out) as { tokens: { id: string; name: string }[] };
    const ci = list.tokens.find((t) => t.name === 'ci');
    assert.ok(ci, 'the new token is listed');
    const listText = await vigil(env, ['token', 'list']);
    assert.match(listText.out, new RegExp(`^${ci.id}\\s+ci\\s+write\\s+vgl_`, 'm'));

    const revoked = await vigil(env, ['token', 'revoke', ci.id]);
    assert.equal(revoked.code, 0, revoked.err);
    assert.equal(revoked.out, `Revoked token ${ci.id}.\n`);

    const refused = await vigil(mine, ['whoami']);
    assert.equal(refused.code, 4);
    assert.equal(refused.out, '');
    assertOneLine(refused.err, /^vigil: UNAUTHORIZED The API token is unknown, revoked or expired\. \(request /);
  });

  it('prints whoami as the JSON of GET /me', async () => {
    const r = await vigil(env, ['whoami', '--json']);
    assert.equal(r.code, 0, r.err);
    const body = JSON.parse(r.out) as { user: { email: string; role: string }; via: string };
    assert.deepEqual([body.user.email, body.user.role, body.via], [ADMIN_EMAIL, 'admin', 'token']);
  });

  it('refuses service create with a read-scope token: FORBIDDEN, exit 4', async () => {
    const created = await vigil(env, ['token', 'create', '--name', 'dashboards', '--scope', 'read', '--json']);
    assert.equal(created.code, 0, created.err);
    const { secret, token } = JSON.parse(created.out) as { secret: string; token: { scope: string } };
    assert.equal(token.scope, 'read');
    const r = await vigil({ VIGIL_URL: server.url, VIGIL_TOKEN: secret }, ['service', 'create', '--name', 'not-allowed']);
    assert.equal(r.code, 4);
    assertOneLine(r.err, /^vigil: FORBIDDEN /);
    // …while reading still works with it.
    assert.equal((await vigil({ VIGIL_URL: server.url, VIGIL_TOKEN: secret }, ['service', 'list'])).code, 0);
  });

  it('creates a user over HTTP, taking the password from VIGIL_NEW_USER_PASSWORD', async () => {
    const password = 'a long enough password';
    const r = await vigil({ ...env, VIGIL_NEW_USER_PASSWORD: password }, ['user', 'create', '--email', 'ana@example.com', '--name', 'Ana', '--role', 'responder', '--time-zone', 'Europe/Lisbon', '--json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const { user } = JSON.parse(r.out) as { user: { email: string; role: string; timeZone: string } };
    assert.deepEqual([user.email, user.role, user.timeZone], ['ana@example.com', 'responder', 'Europe/Lisbon']);
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ana@example.com', password }) });
    assert.equal(login.status, 200, 'the new user signs in with that password');
  });

  it('refuses a --scope outside read|write|admin as a usage error (exit 2) without calling the API', async () => {
    const r = await vigil(env, ['token', 'create', '--name', 'x', '--scope', 'root'], { fetch: noFetch });
    assert.equal(r.code, 2);
    assertOneLine(r.err, /--scope.*'root' is invalid.*read, write, admin/);
  });

  it('treats a missing required option and an unknown command as usage errors', async () => {
    const missing = await vigil(env, ['service', 'create'], { fetch: noFetch });
    assert.equal(missing.code, 2);
    assertOneLine(missing.err, /--name/);
    const unknown = await vigil(env, ['srvice', 'list'], { fetch: noFetch });
    assert.equal(unknown.code, 2);
    assertOneLine(unknown.err, /unknown command 'srvice' \(Did you mean service\?\)/);
  });

  it('says clearly that there is no token, before sending anything', async () => {
    const r = await vigil({ VIGIL_URL: server.url }, ['service', 'list'], { fetch: noFetch });
    assert.equal(r.code, 4);
    assert.equal(r.err, 'vigil: no API token: set VIGIL_TOKEN or pass --token\n');
  });

  it('takes --url and --token over the environment', async () => {
    const r = await vigil({ VIGIL_URL: 'http://127.0.0.1:9', VIGIL_TOKEN: 'wrong' }, ['whoami', '--url', server.url, '--token', bootstrapToken]);
    assert.equal(r.code, 0, r.err);
  });

  it('prints help for a subcommand on stdout with exit 0', async () => {
    const r = await vigil({}, ['service', 'create', '--help'], { fetch: noFetch });
    assert.equal(r.code, 0);
    assert.match(r.out, /Usage: vigil service create \[options\]/);
    assert.match(r.out, /--runbook-url <url>/);
  });

  it('runs the real binary as a child process: --help, and service list --json', async () => {
    const exec = promisify(execFile);
    const node = join(ROOT, 'node_modules/.bin/node');
    const help = await exec(node, ['bin/vigil.js', '--help'], { cwd: ROOT });
    assert.match(help.stdout, /Usage: vigil/);
    const list = await exec(node, ['bin/vigil.js', 'service', 'list', '--json'], { cwd: ROOT, env: { ...process.env, ...env } });
    const body = JSON.parse(list.stdout) as { services: { name: string }[] };
    assert.ok(body.services.some((s) => s.name === 'checkout'));
    // A failing child exits non-zero with its code (execFile rejects with it).
    await assert.rejects(exec(node, ['bin/vigil.js', 'token', 'create', '--name', 'x', '--scope', 'root'], { cwd: ROOT }), (e: { code?: number; stderr?: string }) => {
      assert.equal(e.code, 2);
      assert.match(e.stderr ?? '', /^vigil: .*\n$/);
      return true;
    });
  });

  it('refuses to migrate while the server holds the data directory lock (exit 1, one line)', async () => {
    const r = await vigil({ VIGIL_DATA_DIR: dataDir }, ['migrate']);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assertOneLine(r.err, /in use by process \d+ .*vigil\.lock/);
  });
});

describe('vigil alert and vigil send against a running server', () => {
  let server: RunningServer;
  let dataDir: string;
  let env: Record<string, string>;
  let observer: Record<string, string>;
  let paymentsKey: string;
  const adminToken = randomBytes(20).toString('hex');
  const LONG_TITLE = `Replication lag on db-2 is above the threshold ${'and still climbing '.repeat(8)}`.trim();
  // Alert numbers as the server hands them out (a deduplicated event may use up a number).
  const n = { disk: 0, latency: 0, lag: 0, reindex: 0 };
  const DISK = [
    '--title', 'Disk full on db-1', '--severity', 'critical', '--dedup-key', 'disk-db-1',
    '--description', 'The data volume is full.\nWrites fail.', '--detail', 'mount=/var/lib/db', '--detail', 'used=97%',
    '--label', 'team=storage', '--source', 'db-1', '--source-url', 'https://grafana.example.com/d/disk',
  ];

  /** Runs a command that must succeed and returns its parsed --json output. */
  async function json<T>(args: string[], runEnv: Record<string, string | undefined> = env): Promise<T> {
    const r = await vigil(runEnv, [...args, '--json']);
    assert.equal(r.code, 0, r.err);
    return JSON.parse(r.out) as T;
  }

  /** A fetch that sends every request to the real server but asks for pages of one alert. */
  const requests: string[] = [];
  const onePerPage: typeof fetch = (input, init) => {
    const url = String(input).replace(/([?&]limit=)\d+/, '$11');
    requests.push(url);
    return fetch(url, init);
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vigil-cli-alerts-'));
    server = await startServer({
      env: {
        VIGIL_DATA_DIR: dataDir,
        VIGIL_PORT: '0',
        VIGIL_HOST: '127.0.0.1',
        VIGIL_LOG_LEVEL: 'silent',
        VIGIL_BOOTSTRAP_TOKEN: adminToken,
        VIGIL_ADMIN_EMAIL: ADMIN_EMAIL,
        VIGIL_ADMIN_PASSWORD: 'correct horse battery staple',
      },
    });
    env = { VIGIL_URL: server.url, VIGIL_TOKEN: adminToken };
    paymentsKey = (await json<{ service: { integrationKeys: { key: string }[] } }>(['service', 'create', '--name', 'payments'])).service.integrationKeys[0]!.key;
    await json(['service', 'create', '--name', 'batch']);

    // An observer's own token: sign in as them, then create a read token with the session.
    const password = 'observer password 123';
    await json(['user', 'create', '--email', 'olive@example.com', '--name', 'Olive', '--role', 'observer'], { ...env, VIGIL_NEW_USER_PASSWORD: password });
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'olive@example.com', password }) });
    assert.equal(login.status, 200);
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const created = await fetch(`${server.url}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'olive cli', scope: 'read' }) });
    assert.equal(created.status, 201);
    observer = { VIGIL_URL: server.url, VIGIL_TOKEN: ((await created.json()) as { secret: string }).secret };
  });

  after(async () => {
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('sends an event to a service by name: creates alert #1 and opens an incident; a repeat deduplicates', async () => {
    const r = await vigil(env, ['send', '--service', 'Payments', ...DISK]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.equal(r.out, 'created alert #1, opened incident #1 (high urgency)\nDedup key: disk-db-1\n');
    n.disk = 1;

    const again = await json<Record<string, unknown>>(['send', '--service', 'payments', ...DISK]);
    assert.deepEqual(Object.keys(again), ['status', 'decision', 'reason', 'dedupKey', 'alertId', 'alertNumber', 'incidentId']);
    assert.equal(again.status, 'accepted');
    assert.equal(again.decision, 'deduplicated');
    assert.equal(again.alertNumber, 1);
    assert.match(String(again.reason), /^repeat #2 /);
  });

  it('sends with --key and no API token at all (the endpoint is keyed by its URL)', async () => {
    const r = await vigil({ VIGIL_URL: server.url }, ['send', '--key', paymentsKey, '--title', 'Checkout latency high', '--severity', 'warning']);
    assert.equal(r.code, 0, r.err);
    const created = /^created alert #(\d+), (opened|joined) incident #\d+ \(low urgency\)\nDedup key: [0-9a-f-]{36}\n$/.exec(r.out);
    assert.ok(created, r.out);
    n.latency = Number(created[1]);
    const long = await vigil({ VIGIL_URL: server.url }, ['send', '--key', paymentsKey, '--title', LONG_TITLE, '--severity', 'info', '--dedup-key', 'lag-db-2', '--json']);
    assert.equal(long.code, 0, long.err);
    n.lag = (JSON.parse(long.out) as { alertNumber: number }).alertNumber;
    assert.ok(n.disk < n.latency && n.latency < n.lag);
  });

  it('refuses send without a destination, --resolve without --dedup-key, and --service with --key, as usage errors', async () => {
    const none = await vigil(env, ['send', '--title', 'x'], { fetch: noFetch });
    assert.equal(none.code, 2);
    assertOneLine(none.err, /--service <name\|id> or --key <integration key>/);
    const resolve = await vigil(env, ['send', '--key', paymentsKey, '--resolve'], { fetch: noFetch });
    assert.equal(resolve.code, 2);
    assertOneLine(resolve.err, /--resolve needs --dedup-key/);
    const both = await vigil(env, ['send', '--key', paymentsKey, '--service', 'payments', '--title', 'x'], { fetch: noFetch });
    assert.equal(both.code, 2);
    assertOneLine(both.err, /--key.*cannot be used with.*--service/);
    const detail = await vigil(env, ['send', '--key', paymentsKey, '--title', 'x', '--detail', 'novalue'], { fetch: noFetch });
    assert.equal(detail.code, 2);
    assertOneLine(detail.err, /--detail.*key=value/);
  });

  it('says NOT_FOUND for an unknown integration key (exit 1)', async () => {
    const r = await vigil({ VIGIL_URL: server.url }, ['send', '--key', 'a'.repeat(32), '--title', 'x']);
    assert.equal(r.code, 1);
    assertOneLine(r.err, /^vigil: NOT_FOUND The integration key is unknown or revoked\. .*\(request /);
  });

  it('tells an observer that send --service needs write permission, pointing at --key (exit 4)', async () => {
    const r = await vigil(observer, ['send', '--service', 'payments', '--title', 'x']);
    assert.equal(r.code, 4);
    assert.equal(r.out, '');
    assertOneLine(r.err, /^vigil: FORBIDDEN this token may not see the integration keys of service "payments": --service needs a token with write permission .*--key/);
  });

  it('lists alerts newest first as a table, and as the API document with --json', async () => {
    const r = await vigil(env, ['alert', 'list']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const lines = r.out.trimEnd().split('\n');
    assert.match(lines[0]!, /^#\s+STATUS\s+SEVERITY\s+URGENCY\s+SERVICE\s+COUNT\s+AGE\s+SUMMARY$/);
    assert.match(lines[1]!, new RegExp(`^${n.lag}\\s+triggered\\s+info\\s+low\\s+payments\\s+1\\s+\\d+s\\s+Replication lag on db-2 .*climbing$`));
    assert.match(lines[3]!, /^1\s+triggered\s+critical\s+high\s+payments\s+2\s+\d+s\s+Disk full on db-1$/);
    assert.equal(lines.length, 4);

    const body = await json<{ alerts: { number: number; serviceName: string }[]; nextCursor: string | null }>(['alert', 'list']);
    assert.deepEqual(Object.keys(body), ['alerts', 'nextCursor']);
    assert.deepEqual(body.alerts.map((a) => a.number), [n.lag, n.latency, n.disk]);
    assert.equal(body.nextCursor, null);
  });

  it('filters by status, severity, service and time, resolving the service by name', async () => {
    const numbers = async (...args: string[]) => (await json<{ alerts: { number: number }[] }>(['alert', 'list', ...args])).alerts.map((a) => a.number);
    assert.deepEqual(await numbers('--severity', 'critical,warning'), [n.latency, n.disk]);
    assert.deepEqual(await numbers('--severity', 'critical', '--severity', 'info'), [n.lag, n.disk]);
    assert.deepEqual(await numbers('--status', 'triggered', '--service', 'PAYMENTS'), [n.lag, n.latency, n.disk]);
    assert.deepEqual(await numbers('--service', 'batch'), []);
    assert.deepEqual(await numbers('--since', '1h'), [n.lag, n.latency, n.disk]);
    assert.deepEqual(await numbers('--until', '2000-01-01'), []);
    assert.deepEqual(await numbers('--since', new Date(Date.now() + 3_600_000).toISOString()), []);
    assert.equal((await vigil(env, ['alert', 'list', '--service', 'batch'])).out, 'No alerts match.\n');
    const missing = await vigil(env, ['alert', 'list', '--service', 'nope']);
    assert.equal(missing.code, 1);
    assertOneLine(missing.err, /NOT_FOUND no service is named "nope"/);
  });

  it('refuses invalid list options as usage errors without calling the API', async () => {
    for (const args of [['--status', 'sleeping'], ['--severity', 'fatal'], ['--since', 'yesterday'], ['--since', '2026-02-30'], ['--limit', '0'], ['--all', '--limit', '5']]) {
      const r = await vigil(env, ['alert', 'list', ...args], { fetch: noFetch });
      assert.equal(r.code, 2, args.join(' '));
      assertOneLine(r.err, /./);
    }
  });

  it('shows at most --limit alerts with a cursor to continue, and follows every page with --all', async () => {
    const first = await vigil(env, ['alert', 'list', '--limit', '2', '--json']);
    const page = JSON.parse(first.out) as { alerts: { number: number }[]; nextCursor: string | null };
    assert.deepEqual(page.alerts.map((a) => a.number), [n.lag, n.latency]);
    assert.equal(typeof page.nextCursor, 'string');
    const text = await vigil(env, ['alert', 'list', '--limit', '2']);
    assertOneLine(text.err, /^vigil: note: showing the newest 2; more alerts match/);

    requests.length = 0;
    const all = await vigil(env, ['alert', 'list', '--all', '--json'], { fetch: onePerPage });
    assert.equal(all.code, 0, all.err);
    const body = JSON.parse(all.out) as { alerts: { number: number }[]; nextCursor: string | null };
    assert.deepEqual(body.alerts.map((a) => a.number), [n.lag, n.latency, n.disk]);
    assert.equal(body.nextCursor, null);
    assert.equal(requests.length, 3, 'one request per page of one');
    assert.ok(requests.slice(1).every((u) => u.includes('cursor=')));
  });

  it('shortens summaries to the terminal width, and leaves piped output whole', async () => {
    const narrow = await vigil({ ...env, COLUMNS: '90' }, ['alert', 'list']);
    const lines = narrow.out.trimEnd().split('\n');
    for (const line of lines) assert.ok([...line].length <= 90, `${line.length}: ${line}`);
    assert.match(lines[1]!, /Replication lag on db-2 .*…$/);
    assert.match(lines[3]!, /Disk full on db-1$/);
    const tty = await vigil(env, ['alert', 'list'], { stdoutIsTTY: true, columns: 80 });
    for (const line of tty.out.replace(/\u001b\[\d+m/g, '').trimEnd().split('\n')) assert.ok([...line].length <= 80, line);
    assert.ok((await vigil(env, ['alert', 'list'])).out.includes(LONG_TITLE));
  });

  it('marks suppressed alerts and filters on --suppressed / --no-suppressed', async () => {
    const batch = await json<{ service: { id: string; integrationKeys: { key: string }[] } }>(['service', 'show', 'batch']);
    const now = Date.now();
    const window = await fetch(`${server.url}/api/v1/maintenance-windows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ serviceId: batch.service.id, description: 'nightly reindex', startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() }),
    });
    assert.equal(window.status, 201, await window.text());
    const sent = await vigil(env, ['send', '--service', 'batch', '--title', 'Reindex slow', '--dedup-key', 'reindex']);
    assert.equal(sent.code, 0, sent.err);
    const decided = /^created alert #(\d+), suppressed by maintenance window "nightly reindex" until \d{4}-\d\d-\d\d\S+: nobody was paged\n/.exec(sent.out);
    assert.ok(decided, sent.out);
    n.reindex = Number(decided[1]);

    const list = await vigil(env, ['alert', 'list', '--service', 'batch']);
    assert.match(list.out, new RegExp(`^${n.reindex}\\s+triggered\\s+error\\s+high\\s+batch\\s+1\\s+\\d+s\\s+\\[suppressed\\] Reindex slow$`, 'm'));
    const suppressed = await json<{ alerts: { number: number }[] }>(['alert', 'list', '--suppressed']);
    assert.deepEqual(suppressed.alerts.map((a) => a.number), [n.reindex]);
    const paged = await json<{ alerts: { number: number }[] }>(['alert', 'list', '--no-suppressed']);
    assert.deepEqual(paged.alerts.map((a) => a.number), [n.lag, n.latency, n.disk]);
    const shown = await vigil(env, ['alert', 'show', String(n.reindex)]);
    assert.match(shown.out, /^Suppressed:\s+by maintenance window "nightly reindex" until \d{4}-\d\d-\d\d \d\d:\d\d UTC: nobody was paged$/m);
    assert.match(shown.out, /^Incident:\s+-$/m);
  });

  it('shows an alert by number with its labels, details, links, incident and event log', async () => {
    const r = await vigil(env, ['alert', 'show', '1']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Alert:\s+#1 Disk full on db-1$/m);
    assert.match(r.out, /^Status:\s+triggered$/m);
    assert.match(r.out, /^Severity:\s+critical \(high urgency\)$/m);
    assert.match(r.out, /^Service:\s+payments$/m);
    assert.match(r.out, /^Incident:\s+#1$/m);
    assert.match(r.out, /^Dedup key:\s+disk-db-1$/m);
    assert.match(r.out, /^Source:\s+db-1$/m);
    assert.match(r.out, /^Count:\s+2$/m);
    assert.ok(r.out.includes('\nDescription:\n  The data volume is full.\n  Writes fail.\n'));
    assert.ok(r.out.includes('\nLabels:\n  team=storage\n'));
    assert.ok(r.out.includes('\nDetails:\n  mount: /var/lib/db\n  used: 97%\n'));
    assert.ok(r.out.includes('\nLinks:\n  Source: https://grafana.example.com/d/disk\n'));
    assert.match(r.out, /\nEvent log \(2 entries\):\nTIME\s+ACTION\s+DECISION\s+BY\s+REASON\n/);
    assert.match(r.out, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+trigger\s+created\s+generic\s+opened incident #1 \(high urgency\)$/m);
    assert.match(r.out, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+trigger\s+deduplicated\s+generic\s+repeat #2 /m);

    const body = await json<{ alert: { id: string; number: number; labels: unknown; details: unknown }; events: { decision: string }[]; eventCount: number }>(['alert', 'show', '#1']);
    assert.deepEqual(Object.keys(body), ['alert', 'events', 'eventCount']);
    assert.equal(body.alert.number, 1);
    assert.deepEqual(body.alert.labels, { team: 'storage' });
    assert.deepEqual(body.alert.details, { mount: '/var/lib/db', used: '97%' });
    assert.deepEqual(body.events.map((e) => e.decision), ['created', 'deduplicated']);
    assert.equal(body.eventCount, 2);
    assert.deepEqual(await json(['alert', 'show', body.alert.id]), body);
  });

  it('says NOT_FOUND (exit 1) for an alert that does not exist', async () => {
    for (const args of [['alert', 'show', '999'], ['alert', 'ack', '999'], ['alert', 'resolve', 'not-an-alert']]) {
      const r = await vigil(env, args);
      assert.equal(r.code, 1, args.join(' '));
      assert.equal(r.out, '');
      assertOneLine(r.err, /^vigil: NOT_FOUND alert \S+ was not found\. \(request [^)]+\)\n$/);
    }
  });

  it('refuses an observer acknowledging with a clear FORBIDDEN (exit 4), while listing works for them', async () => {
    const r = await vigil(observer, ['alert', 'ack', '1']);
    assert.equal(r.code, 4);
    assert.equal(r.out, '');
    assertOneLine(r.err, /^vigil: FORBIDDEN This needs the write permission; the token "olive cli" has read\. Acknowledging alerts needs a responder or admin, with a write or admin token\. \(request [^)]+\)\n$/);
    assert.equal((await vigil(observer, ['alert', 'list'])).code, 0);
    assert.equal((await json<{ alert: { status: string } }>(['alert', 'show', '1'], observer)).alert.status, 'triggered');
  });

  it('acknowledges one alert, says so again when it already is, and logs who did it', async () => {
    const r = await vigil(env, ['alert', 'ack', '1']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'Acknowledged #1 payments: Disk full on db-1\n');
    const again = await vigil(env, ['alert', 'acknowledge', '#1']);
    assert.equal(again.code, 0, again.err);
    assert.equal(again.out, 'Already acknowledged, unchanged: #1 payments: Disk full on db-1\n');
    const shown = await vigil(env, ['alert', 'show', '1']);
    assert.match(shown.out, /^Status:\s+acknowledged$/m);
    assert.match(shown.out, /^\S+ \S+ UTC\s+acknowledge\s+acknowledged\s+Administrator\s+acknowledged by Administrator$/m);
  });

  it('acknowledges and resolves many at once through the bulk endpoint, reporting changed and unchanged', async () => {
    const ack = await json<{ changed: { number: number }[]; unchanged: { number: number }[] }>(['alert', 'ack', '1', String(n.latency)]);
    assert.deepEqual(Object.keys(ack), ['changed', 'unchanged']);
    assert.deepEqual(ack.changed.map((a) => a.number), [n.latency]);
    assert.deepEqual(ack.unchanged.map((a) => a.number), [1]);

    const missing = await vigil(env, ['alert', 'resolve', '1', '999']);
    assert.equal(missing.code, 1);
    assertOneLine(missing.err, /^vigil: NOT_FOUND alert 999 was not found\. None of the 2 alerts was changed\. \(request /);
    assert.equal((await json<{ alert: { status: string } }>(['alert', 'show', '1'])).alert.status, 'acknowledged');

    const resolved = await vigil(env, ['alert', 'resolve', '1', String(n.latency), String(n.lag)]);
    assert.equal(resolved.code, 0, resolved.err);
    assert.deepEqual(resolved.out.trimEnd().split('\n').sort(), ['Resolved #1 payments: Disk full on db-1', `Resolved #${n.latency} payments: Checkout latency high`, `Resolved #${n.lag} payments: ${LONG_TITLE}`]);
    const again = await vigil(env, ['alert', 'ack', String(n.lag), String(n.latency)]);
    assert.match(again.out, new RegExp(`^Already resolved, unchanged: #${n.latency} payments: Checkout latency high$`, 'm'));
    const triggered = await json<{ alerts: unknown[] }>(['alert', 'list', '--status', 'triggered,acknowledged', '--service', 'payments']);
    assert.deepEqual(triggered.alerts, []);
  });

  it('resolves through send --resolve with the dedup key, and says when nothing is open with it', async () => {
    const fired = await json<{ alertNumber: number }>(['send', '--service', 'payments', '--title', 'Queue backlog', '--dedup-key', 'queue']);
    const r = await vigil(env, ['send', '--service', 'payments', '--resolve', '--dedup-key', 'queue']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `resolved alert #${fired.alertNumber} (resolved by generic)\nDedup key: queue\n`);
    const again = await vigil(env, ['send', '--service', 'payments', '--resolve', '--dedup-key', 'queue']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /^ignored: no open alert with this key/);
  });

  it('refuses more than 100 alerts at once as a usage error', async () => {
    const r = await vigil(env, ['alert', 'ack', ...Array.from({ length: 101 }, (_, i) => String(i + 1))], { fetch: noFetch });
    assert.equal(r.code, 2);
    assertOneLine(r.err, /at most 100 alerts at once \(got 101\)/);
  });
});

describe('vigil without a server', () => {
  it('exits 3 with one line when nothing listens at VIGIL_URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await vigil({ VIGIL_URL: url, VIGIL_TOKEN: 'vgl_whatever' }, ['service', 'list']);
    assert.equal(r.code, 3);
    assert.equal(r.err, `vigil: cannot reach Vigil at ${url}: connection refused (set VIGIL_URL)\n`);
  });

  it('exits 2 for a VIGIL_URL that is not an http(s) URL', async () => {
    const r = await vigil({ VIGIL_URL: 'localhost:8080', VIGIL_TOKEN: 'x' }, ['whoami'], { fetch: noFetch });
    assert.equal(r.code, 2);
    assertOneLine(r.err, /VIGIL_URL "localhost:8080" is not an http/);
  });

  it('reports a non-Vigil error page as one line', async () => {
    const html: typeof fetch = async () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } });
    const r = await vigil({ VIGIL_URL: 'http://proxy.example', VIGIL_TOKEN: 'x' }, ['service', 'list'], { fetch: html });
    assert.equal(r.code, 1);
    assertOneLine(r.err, /^vigil: HTTP 502 Bad Gateway from http:\/\/proxy\.example\/api\/v1\/services, not a Vigil API error/);
  });

  it('migrates a fresh data directory, then says it is already current', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-cli-migrate-'));
    try {
      const first = await vigil({ VIGIL_DATA_DIR: dir }, ['migrate']);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /^Applied \d+ migration\(s\) to embedded/);
      const names = Object.keys(migrations);
      assert.ok(names.length > 0);
      for (const name of names) assert.match(first.out, new RegExp(`^  ${name}$`, 'm'));

      const second = await vigil({ VIGIL_DATA_DIR: dir }, ['migrate']);
      assert.equal(second.code, 0, second.err);
      assert.match(second.out, /already current/);
      const json = await vigil({ VIGIL_DATA_DIR: dir }, ['migrate', '--json']);
      assert.deepEqual(JSON.parse(json.out), { applied: [] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports an invalid server configuration for migrate as one line (CLI variables are not server settings)', async () => {
    const r = await vigil({ VIGIL_PORT: 'eighty', VIGIL_TOKEN: 'x', VIGIL_NEW_USER_PASSWORD: 'y' }, ['migrate'], { fetch: noFetch });
    assert.equal(r.code, 1);
    assert.equal(r.err, 'vigil: invalid configuration: VIGIL_PORT: must be a whole number from 0 to 65535 (got "eighty")\n');
  });
});
