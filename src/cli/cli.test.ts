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
import { run } from './main.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN_EMAIL = 'cli-admin@example.com';

interface Result {
  code: number;
  out: string;
  err: string;
}

/** Runs `vigil <args>` in-process with exactly this environment. */
async function vigil(env: Record<string, string | undefined>, args: string[], extra: { fetch?: typeof fetch; stdoutIsTTY?: boolean } = {}): Promise<Result> {
  let out = '';
  let err = '';
  const code = await run(['node', 'vigil', ...args], {
    stdout: (s) => void (out += s),
    stderr: (s) => void (err += s),
    env,
    stdoutIsTTY: extra.stdoutIsTTY ?? false,
    cwd: tmpdir(),
    ...(extra.fetch ? { fetch: extra.fetch } : {}),
  });
  return { code, out, err };
}

function assertOneLine(err: string, pattern: RegExp): void {
  assert.match(err, /^vigil: [^\n]*\n$/, `expected one stderr line, got: ${JSON.stringify(err)}`);
  assert.match(err, pattern);
}

/** A port nothing listens on: bind one, then let it go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const noFetch: typeof fetch = () => assert.fail('no request should be sent');

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
