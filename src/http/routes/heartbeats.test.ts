import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

eachDatabase('heartbeats API', (kind) => {
  let h: Harness;
  let serviceId: string;
  before(async () => {
    h = await createHarness(kind);
    serviceId = (await h.request('POST', '/api/v1/services', { token: h.tokens.responder, body: { name: 'Backups' } })).json().service.id;
  });
  after(() => h.close());

  const create = (body: unknown, token = h.tokens.responder) => h.request('POST', '/api/v1/heartbeats', { token, body });
  const jobsFor = async (id: string) => h.database.db.selectFrom('jobs').select(['kind', 'run_at']).where('key', '=', `heartbeat:${id}`).execute();

  it('creates a pending heartbeat with its key and ping URL, schedules its check and audits it', async () => {
    const res = await create({ serviceId, name: 'nightly backup', intervalSeconds: 3600 });
    assert.equal(res.statusCode, 201);
    const { heartbeat } = res.json();
    assert.match(heartbeat.key, /^[a-z0-9]{32}$/);
    assert.equal(heartbeat.pingUrl, `http://vigil.test/api/v1/heartbeats/${heartbeat.key}`);
    assert.equal(heartbeat.status, 'pending');
    assert.equal(heartbeat.serviceName, 'Backups');
    assert.equal(heartbeat.intervalSeconds, 3600);
    assert.equal(heartbeat.lastPingAt, null);
    assert.equal(heartbeat.nextDueAt, '2026-03-02T10:00:00.000Z');
    assert.deepEqual(await jobsFor(heartbeat.id), [{ kind: 'heartbeats.check', run_at: new Date('2026-03-02T10:00:00Z') }]);

    const audit = await h.request('GET', `/api/v1/audit?entityType=heartbeat&entityId=${heartbeat.id}`, { token: h.tokens.admin });
    assert.deepEqual(audit.json().entries.map((e: { action: string }) => e.action), ['heartbeat.create']);
    assert.equal(audit.json().entries[0].actor.id, h.users.responder.id);
    assert.equal(JSON.stringify(audit.json().entries[0].data).includes(heartbeat.key), false, 'the key is not written to the audit log');
  });

  it('lists heartbeats, filtered by service; observers see key previews, never keys or ping URLs', async () => {
    const other = (await h.request('POST', '/api/v1/services', { token: h.tokens.responder, body: { name: 'Reports' } })).json().service.id;
    const { heartbeat } = (await create({ serviceId: other, name: 'weekly', intervalSeconds: 604800 })).json();
    const mine = await h.request('GET', `/api/v1/heartbeats?serviceId=${other}`, { token: h.tokens.responder });
    assert.equal(mine.statusCode, 200);
    assert.deepEqual(mine.json().heartbeats.map((x: { id: string }) => x.id), [heartbeat.id]);
    assert.equal(mine.json().heartbeats[0].key, heartbeat.key);

    const all = await h.request('GET', '/api/v1/heartbeats', { token: h.tokens.observer });
    assert.equal(all.statusCode, 200);
    const seen = all.json().heartbeats.find((x: { id: string }) => x.id === heartbeat.id);
    assert.equal(seen.key, null);
    assert.equal(seen.pingUrl, null);
    assert.equal(seen.keyPreview, `${heartbeat.key.slice(0, 4)}…${heartbeat.key.slice(-4)}`);
    assert.ok(all.json().heartbeats.length >= 2);

    const bad = await h.request('GET', '/api/v1/heartbeats?serviceId=nope', { token: h.tokens.observer });
    assert.equal(bad.statusCode, 400);
    assert.equal(errorOf(bad).details?.fields?.[0]?.field, 'query.serviceId');
  });

  it('renames and re-times a heartbeat, moving its check, and deletes it (audited, check cancelled)', async () => {
    const { heartbeat } = (await create({ serviceId, name: 'hourly sync', intervalSeconds: 3600 })).json();
    const patched = await h.request('PATCH', `/api/v1/heartbeats/${heartbeat.id}`, { token: h.tokens.responder, body: { name: 'sync', intervalSeconds: 600 } });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().heartbeat.name, 'sync');
    assert.equal(patched.json().heartbeat.intervalSeconds, 600);
    assert.equal(patched.json().heartbeat.pingUrl, heartbeat.pingUrl);
    assert.deepEqual((await jobsFor(heartbeat.id)).map((j) => j.run_at), [new Date('2026-03-02T09:10:00Z')]);

    const deleted = await h.request('DELETE', `/api/v1/heartbeats/${heartbeat.id}`, { token: h.tokens.responder });
    assert.equal(deleted.statusCode, 204);
    assert.deepEqual(await jobsFor(heartbeat.id), []);
    const again = await h.request('DELETE', `/api/v1/heartbeats/${heartbeat.id}`, { token: h.tokens.responder });
    assert.equal(again.statusCode, 404);
    assert.equal(errorOf(again).code, 'NOT_FOUND');
    const missing = await h.request('PATCH', `/api/v1/heartbeats/${heartbeat.id}`, { token: h.tokens.responder, body: { name: 'x' } });
    assert.equal(missing.statusCode, 404);

    const audit = await h.request('GET', `/api/v1/audit?entityType=heartbeat&entityId=${heartbeat.id}`, { token: h.tokens.admin });
    assert.deepEqual(audit.json().entries.map((e: { action: string }) => e.action), ['heartbeat.delete', 'heartbeat.update', 'heartbeat.create']);
  });

  it('answers 401 without credentials and 403 to observers and read-scoped tokens, writing nothing', async () => {
    const { heartbeat } = (await create({ serviceId, name: 'guarded', intervalSeconds: 60 })).json();
    const none = await h.request('GET', '/api/v1/heartbeats');
    assert.equal(none.statusCode, 401);
    assert.equal(errorOf(none).code, 'UNAUTHORIZED');
    assert.equal((await h.request('POST', '/api/v1/heartbeats', { body: { serviceId, name: 'x', intervalSeconds: 60 } })).statusCode, 401);
    assert.equal((await h.request('DELETE', `/api/v1/heartbeats/${heartbeat.id}`)).statusCode, 401);

    const readToken = await h.token('admin', 'read');
    for (const token of [h.tokens.observer, readToken]) {
      const created = await create({ serviceId, name: 'nope', intervalSeconds: 60 }, token);
      assert.equal(created.statusCode, 403);
      assert.equal(errorOf(created).code, 'FORBIDDEN');
      assert.equal((await h.request('PATCH', `/api/v1/heartbeats/${heartbeat.id}`, { token, body: { name: 'nope' } })).statusCode, 403);
      assert.equal((await h.request('DELETE', `/api/v1/heartbeats/${heartbeat.id}`, { token })).statusCode, 403);
    }
    const list = (await h.request('GET', `/api/v1/heartbeats?serviceId=${serviceId}`, { token: h.tokens.admin })).json().heartbeats;
    assert.deepEqual(list.filter((x: { name: string }) => x.name === 'nope'), []);
    assert.equal(list.find((x: { id: string }) => x.id === heartbeat.id).name, 'guarded');
  });

  it('rejects bad input with the field and the reason', async () => {
    const cases: [unknown, string, RegExp, number?][] = [
      [{ serviceId, name: 'x', intervalSeconds: 29 }, 'body.intervalSeconds', />= 30/],
      [{ serviceId, name: 'x', intervalSeconds: 604801 }, 'body.intervalSeconds', /<= 604800/],
      [{ serviceId, name: 'x', intervalSeconds: 90.5 }, 'body.intervalSeconds', /integer/],
      [{ serviceId, name: 'x', intervalSeconds: '60' }, 'body.intervalSeconds', /integer/],
      [{ serviceId, name: 'x' }, 'body.intervalSeconds', /required/],
      [{ serviceId, name: '  ', intervalSeconds: 60 }, 'body.name', /empty/],
      [{ name: 'x', intervalSeconds: 60 }, 'body.serviceId', /required/],
      [{ serviceId: 'nope', name: 'x', intervalSeconds: 60 }, 'body.serviceId', /uuid/],
      [{ serviceId: '00000000-0000-4000-8000-000000000000', name: 'x', intervalSeconds: 60 }, 'body.serviceId', /no such service/],
      [{ serviceId, name: 'x', intervalSeconds: 60, severity: 'low' }, 'body.severity', /not a known field/],
    ];
    for (const [body, field, reason] of cases) {
      const res = await create(body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      const error = errorOf(res);
      assert.equal(error.code, 'VALIDATION');
      const found = error.details?.fields?.find((f) => f.field === field);
      assert.ok(found, `${JSON.stringify(body)} → ${JSON.stringify(error.details)}`);
      assert.match(found.reason, reason);
    }
    const { heartbeat } = (await create({ serviceId, name: 'unique', intervalSeconds: 60 })).json();
    const tooLong = await h.request('PATCH', `/api/v1/heartbeats/${heartbeat.id}`, { token: h.tokens.responder, body: { intervalSeconds: 10 } });
    assert.equal(tooLong.statusCode, 400);
    assert.equal(errorOf(tooLong).details?.fields?.[0]?.field, 'body.intervalSeconds');
    const dup = await create({ serviceId, name: 'UNIQUE', intervalSeconds: 60 });
    assert.equal(dup.statusCode, 409);
    assert.equal(errorOf(dup).details?.fields?.[0]?.field, 'body.name');
  });

  it('accepts a public ping by POST or GET with 202 and the next due time, only the key as credential', async () => {
    const { heartbeat } = (await create({ serviceId, name: 'cron', intervalSeconds: 300 })).json();
    h.clock.advance(60_000);
    const post = await h.request('POST', `/api/v1/heartbeats/${heartbeat.key}`);
    assert.equal(post.statusCode, 202);
    assert.deepEqual(post.json(), { status: 'ok', nextDueAt: new Date(h.clock.now().getTime() + 300_000).toISOString() });
    assert.equal(post.headers['cache-control'], 'no-store');

    h.clock.advance(60_000);
    const get = await h.request('GET', `/api/v1/heartbeats/${heartbeat.key}`);
    assert.equal(get.statusCode, 202);
    assert.equal(get.json().nextDueAt, new Date(h.clock.now().getTime() + 300_000).toISOString());

    // Whatever body a tool sends is ignored: curl -d '' (form-encoded), plain text, JSON.
    for (const headers of [{ 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'text/plain' }, { 'content-type': 'application/json' }]) {
      const res = await h.request('POST', `/api/v1/heartbeats/${heartbeat.key}`, { body: headers['content-type'] === 'application/json' ? '{"ok":' : 'done', headers });
      assert.equal(res.statusCode, 202, headers['content-type']);
    }

    const list = (await h.request('GET', `/api/v1/heartbeats?serviceId=${serviceId}`, { token: h.tokens.observer })).json().heartbeats;
    const seen = list.find((x: { id: string }) => x.id === heartbeat.id);
    assert.equal(seen.status, 'up');
    assert.equal(seen.lastPingAt, h.clock.now().toISOString());
    assert.deepEqual(await jobsFor(heartbeat.id), [{ kind: 'heartbeats.check', run_at: new Date(h.clock.now().getTime() + 300_000) }]);
  });

  it('rate-limits pings per address like every other route (429 with the error body)', async () => {
    const limited = await createHarness(kind, { rateLimitPerMinute: 2 });
    try {
      const key = 'b'.repeat(32);
      assert.equal((await limited.request('POST', `/api/v1/heartbeats/${key}`)).statusCode, 404);
      assert.equal((await limited.request('GET', `/api/v1/heartbeats/${key}`)).statusCode, 404);
      const third = await limited.request('POST', `/api/v1/heartbeats/${key}`);
      assert.equal(third.statusCode, 429);
      assert.equal(errorOf(third).code, 'RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it('answers an unknown or malformed key with 404 and the error body', async () => {
    for (const key of ['a'.repeat(32), 'short', 'x'.repeat(90), '00000000-0000-4000-8000-000000000000']) {
      for (const method of ['GET', 'POST']) {
        const res = await h.request(method, `/api/v1/heartbeats/${key}`);
        assert.equal(res.statusCode, 404, `${method} ${key}`);
        const error = errorOf(res);
        assert.equal(error.code, 'NOT_FOUND');
        assert.ok(error.requestId);
      }
    }
  });
});
