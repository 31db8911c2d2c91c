import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningServer, startServer } from '../server.ts';
import { assertOneLine, noFetch, vigil, vigilJson } from './testing/run-cli.ts';

// `vigil webhook …` against a real server started in-process, with a receiver in this process that
// checks the signature of what the server's engine sends with the secret `webhook add` printed.

describe('vigil webhook against a running server', () => {
  let server: RunningServer;
  let receiver: Server;
  let hookUrl = '';
  const got: { headers: IncomingHttpHeaders; raw: string }[] = [];
  let dataDir: string;
  const adminToken = randomBytes(20).toString('hex');
  let admin: Record<string, string>;
  let responder: Record<string, string>;

  before(async () => {
    receiver = createServer((request, response) => {
      let raw = '';
      request.on('data', (d) => (raw += d));
      request.on('end', () => {
        got.push({ headers: request.headers, raw });
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/vigil`;
    dataDir = await mkdtemp(join(tmpdir(), 'vigil-cli-webhooks-'));
    server = await startServer({
      env: {
        VIGIL_DATA_DIR: dataDir,
        VIGIL_PORT: '0',
        VIGIL_HOST: '127.0.0.1',
        VIGIL_LOG_LEVEL: 'silent',
        VIGIL_BOOTSTRAP_TOKEN: adminToken,
        VIGIL_ADMIN_EMAIL: 'cli-admin@example.com',
        VIGIL_ADMIN_PASSWORD: 'correct horse battery staple',
      },
    });
    admin = { VIGIL_URL: server.url, VIGIL_TOKEN: adminToken };
    const call = async (path: string, body: unknown, headers: Record<string, string>) => {
      const res = await fetch(`${server.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      assert.ok(res.ok, await res.clone().text());
      return res;
    };
    await call('/users', { email: 'ana@example.com', name: 'Ana', role: 'responder', timeZone: 'UTC', password: 'a long enough password' }, { authorization: `Bearer ${adminToken}` });
    const login = await call('/auth/login', { email: 'ana@example.com', password: 'a long enough password' }, {});
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const token = (await (await call('/tokens', { name: 'ana', scope: 'write' }, { cookie })).json()) as { secret: string };
    responder = { VIGIL_URL: server.url, VIGIL_TOKEN: token.secret };
    await call('/services', { name: 'Checkout' }, { authorization: `Bearer ${adminToken}` });
  });

  after(async () => {
    await server?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('adds (secret on stdout), lists, tests (a signed ping arrives), shows the deliveries and deletes', async () => {
    const added = await vigil(admin, ['webhook', 'add', hookUrl, '--service', 'Checkout', '--events', 'incident.triggered,incident.resolved']);
    assert.equal(added.code, 0, added.err);
    const secret = added.out.trim();
    assert.match(secret, /^vigil_whsec_\S{43}$/);
    assert.match(added.err, /^vigil: created webhook [0-9a-f-]{36} \(Checkout, events triggered,resolved\): store the signing secret now/);
    const id = /webhook ([0-9a-f-]{36})/.exec(added.err)![1]!;

    const list = await vigil(admin, ['webhook', 'list']);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /^ID\s+ENABLED\s+SERVICE\s+EVENTS\s+URL\n/);
    assert.match(list.out, new RegExp(`${id}\\s+yes\\s+Checkout\\s+triggered,resolved\\s+${hookUrl}`));
    assert.ok(!list.out.includes(secret));
    const listed = await vigilJson<{ webhooks: { id: string }[] }>(admin, ['webhook', 'list']);
    assert.deepEqual(listed.webhooks.map((w) => w.id), [id]);

    const tested = await vigil(admin, ['webhook', 'test', id]);
    assert.equal(tested.code, 0, tested.err);
    assert.match(tested.out, /^Queued a vigil\.ping \(delivery [0-9a-f-]{36}\)/);
    const deadline = Date.now() + 20_000;
    while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(got.length, 1, 'the ping arrived');
    const ping = got[0]!;
    const [t, v1] = String(ping.headers['x-vigil-signature']).split(',').map((p) => p.split('=')[1]!);
    assert.equal(v1, createHmac('sha256', secret).update(`${t}.${ping.raw}`).digest('hex'));
    assert.equal(JSON.parse(ping.raw).type, 'vigil.ping');

    let log = await vigilJson<{ deliveries: { status: string }[] }>(admin, ['webhook', 'deliveries', id]);
    while (log.deliveries[0]?.status !== 'delivered' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      log = await vigilJson(admin, ['webhook', 'deliveries', id]);
    }
    const text = await vigil(admin, ['webhook', 'deliveries', id]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^ID\s+CREATED\s+EVENT\s+STATUS\s+ATTEMPTS\s+CODE\s+MS\s+LAST ERROR \/ NEXT ATTEMPT\n[0-9a-f-]{36}\s+\S+ \S+ UTC\s+vigil\.ping\s+delivered\s+1\s+200\s+\d+\s+-\n$/);

    const denied = await vigil(responder, ['webhook', 'list']);
    assert.equal(denied.code, 4);
    assertOneLine(denied.err, /^vigil: FORBIDDEN /);
    const bad = await vigil(admin, ['webhook', 'add', 'ftp://example.com/x']);
    assert.equal(bad.code, 1);
    assertOneLine(bad.err, /VALIDATION body\.url: must be an http or https URL/);
    const usage = await vigil(admin, ['webhook', 'add', hookUrl, '--events', 'incident.exploded'], { fetch: noFetch });
    assert.equal(usage.code, 2);
    assert.equal((await vigil(admin, ['webhook', 'delete', 'nope'], { fetch: noFetch })).code, 2);

    const deleted = await vigil(admin, ['webhook', 'delete', id]);
    assert.equal(deleted.code, 0, deleted.err);
    assert.equal(deleted.out, `Deleted webhook ${id}.\n`);
    const gone = await vigil(admin, ['webhook', 'deliveries', id]);
    assert.equal(gone.code, 1);
    assertOneLine(gone.err, /^vigil: NOT_FOUND /);
  });
});
