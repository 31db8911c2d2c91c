import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { postgresTestUrl, POSTGRES_SKIP_REASON } from '../src/storage/testing/test-database.ts';
import { startServerProcess, tempDataDir } from './support/server-process.ts';

const ready = async (url: string) => (await fetch(`${url}/readyz`)).json();

describe('the server process', () => {
  it('starts as `npm start` does, on a fresh data directory, and is ready', { timeout: 120_000 }, async () => {
    const dir = tempDataDir();
    const server = startServerProcess({ VIGIL_DATA_DIR: dir }, ['npm', 'start', '--silent']);
    try {
      const url = await server.url;
      assert.deepEqual(await ready(url), { status: 'ready', checks: { database: 'ok', migrations: 'current', paging: 'ok' } });
      assert.match(server.output(), /First start: an administrator account was created/);
      const password = /Password:\s+(\S+)/.exec(server.output())?.[1];
      assert.ok(password, server.output());
      const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@localhost', password }) });
      assert.equal(login.status, 200, 'the printed credentials sign in');
      const page = await fetch(`${url}/services`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<div id="root">/, 'the web UI is served for app paths');
    } finally {
      await server.stop();
    }
    // npm exits at once on the signal; Vigil (its child) then closes and releases the lock.
    for (let i = 0; i < 100 && existsSync(join(dir, 'vigil.lock')); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!existsSync(join(dir, 'vigil.lock')), 'a clean stop releases the lock');
  });

  it('reuses the data on a second start and refuses a second process on the same directory', { timeout: 60_000 }, async () => {
    const dir = tempDataDir();
    const token = randomBytes(24).toString('hex');
    const env = { VIGIL_DATA_DIR: dir, VIGIL_ADMIN_EMAIL: 'ops@example.com', VIGIL_ADMIN_PASSWORD: 'a very long password', VIGIL_BOOTSTRAP_TOKEN: token };
    const first = startServerProcess(env);
    const url = await first.url;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${url}/api/v1/services`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Persisted' }) });
    assert.equal(created.status, 201, 'the bootstrap token is an admin token');

    const second = startServerProcess({ VIGIL_DATA_DIR: dir });
    assert.equal(await second.exited, 1);
    assert.match(second.output(), /^Vigil cannot start: The data directory .* is in use by process \d+/m);
    assert.equal(second.output().trim().split('\n').length, 1, 'one line');
    assert.equal((await fetch(`${url}/readyz`)).status, 200, 'the first keeps running');
    assert.equal(await first.stop(), 0, 'SIGTERM shuts down cleanly');

    const again = startServerProcess(env);
    const url2 = await again.url;
    assert.doesNotMatch(again.output(), /First start/);
    const list = await (await fetch(`${url2}/api/v1/services`, { headers: auth })).json();
    assert.deepEqual(list.services.map((s: { name: string }) => s.name), ['Persisted']);
    await again.stop();
  });

  it('takes over the lock of a process that was killed with SIGKILL', { timeout: 60_000 }, async () => {
    const dir = tempDataDir();
    const first = startServerProcess({ VIGIL_DATA_DIR: dir });
    await first.url;
    await first.stop('SIGKILL');
    assert.ok(existsSync(join(dir, 'vigil.lock')), 'the killed process left its lock');
    const second = startServerProcess({ VIGIL_DATA_DIR: dir });
    assert.equal((await ready(await second.url)).status, 'ready');
    await second.stop();
  });

  it('lists every bad setting at once and exits 1', async () => {
    const server = startServerProcess({ VIGIL_DATA_DIR: tempDataDir(), VIGIL_PORT: 'http', VIGIL_BOOTSTRAP_TOKEN: 'short', VIGIL_LOG_LEVLE: 'debug' });
    assert.equal(await server.exited, 1);
    const out = server.output();
    assert.match(out, /configuration is invalid/);
    for (const key of ['VIGIL_PORT', 'VIGIL_BOOTSTRAP_TOKEN', 'VIGIL_LOG_LEVLE']) assert.match(out, new RegExp(`${key}:`));
  });

  it('says in one line that PostgreSQL is unreachable, and exits 1', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const server = startServerProcess({ VIGIL_DATABASE_URL: `postgres://vigil@127.0.0.1:${port}/vigil` });
    assert.equal(await server.exited, 1);
    assert.match(server.output(), /^Vigil cannot start: Cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/vigil \(VIGIL_DATABASE_URL\): .*ECONNREFUSED/m);
    assert.equal(server.output().trim().split('\n').length, 1);
  });

  it('runs on PostgreSQL when VIGIL_DATABASE_URL is set', { skip: postgresTestUrl() ? false : POSTGRES_SKIP_REASON, timeout: 60_000 }, async () => {
    const pg = await import('pg');
    const url = postgresTestUrl()!;
    const database = `vigil_e2e_${randomBytes(4).toString('hex')}`;
    const admin = new pg.default.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${database}`);
    try {
      const target = new URL(url);
      target.pathname = `/${database}`;
      const server = startServerProcess({ VIGIL_DATABASE_URL: target.toString() });
      const ready1 = await ready(await server.url);
      assert.equal(ready1.status, 'ready');
      assert.match(server.output(), /Database: PostgreSQL/);
      await server.stop();
    } finally {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    }
  });
});
