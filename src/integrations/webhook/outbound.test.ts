import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { postWebhook, sendWebhook } from './outbound.ts';

describe('outbound webhook', () => {
  const got: { path: string; type: string; body: string }[] = [];
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        got.push({ path: req.url!, type: String(req.headers['content-type']), body });
        if (req.url === '/fail') res.writeHead(503).end();
        else if (req.url === '/moved') res.writeHead(302, { location: '/ok' }).end();
        else if (req.url === '/busy') res.writeHead(429, { 'retry-after': '120' }).end('z'.repeat(100_000));
        else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts the body as JSON and resolves on a 2xx', async () => {
    await postWebhook(`${base}/ok`, { code: '123456' });
    assert.deepEqual(got.at(-1), { path: '/ok', type: 'application/json', body: '{"code":"123456"}' });
  });

  it('throws on an error status and does not follow a redirect', async () => {
    await assert.rejects(postWebhook(`${base}/fail`, {}), /answered 503/);
    const before = got.length;
    await assert.rejects(postWebhook(`${base}/moved`, {}), /answered 302/);
    assert.equal(got.length, before + 1, 'the redirect target was not called');
  });

  it('sendWebhook sends the exact bytes and headers, answers any status with a short excerpt, and follows no redirect', async () => {
    const raw = '{"b":1,  "a":2}';
    const ok = await sendWebhook({ url: `${base}/ok`, body: raw, headers: { 'Content-Type': 'application/json', 'X-Vigil-Signature': 't=1,v1=ab' }, timeoutMs: 5_000 });
    assert.equal(ok.status, 204);
    assert.equal(got.at(-1)!.body, raw);
    const busy = await sendWebhook({ url: `${base}/busy`, body: '{}', headers: {}, timeoutMs: 5_000 });
    assert.equal(busy.status, 429);
    assert.equal(busy.retryAfter, '120');
    assert.ok(busy.excerpt.length <= 2048 && busy.excerpt.startsWith('zzz'));
    const before = got.length;
    const moved = await sendWebhook({ url: `${base}/moved`, body: '{}', headers: {}, timeoutMs: 5_000 });
    assert.equal(moved.status, 302);
    assert.equal(got.length, before + 1, 'the redirect target was not called');
  });

  it('gives up after its timeout', async () => {
    const slow = createServer(() => {});
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`;
      await assert.rejects(postWebhook(url, {}, { timeoutMs: 200 }), /timeout|aborted/i);
      await assert.rejects(sendWebhook({ url, body: '{}', headers: {}, timeoutMs: 200 }), /no answer within 0.2 s/);
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });
});
