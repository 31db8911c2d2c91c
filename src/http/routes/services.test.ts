import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

eachDatabase('services API', (kind) => {
  let h: Harness;
  before(async () => {
    h = await createHarness(kind);
  });
  after(() => h.close());

  const create = (body: unknown, token = h.tokens.responder) => h.request('POST', '/api/v1/services', { token, body });

  it('creates a service with one 32-character integration key, audited in the same transaction', async () => {
    const res = await create({ name: 'Checkout API', description: 'Payments front door', runbookUrl: 'https://runbooks.example.com/checkout' });
    assert.equal(res.statusCode, 201);
    const { service } = res.json();
    assert.equal(service.name, 'Checkout API');
    assert.equal(service.runbookUrl, 'https://runbooks.example.com/checkout');
    assert.equal(service.integrationKeys.length, 1);
    assert.match(service.integrationKeys[0].key, /^[a-z0-9]{32}$/);
    assert.match(service.createdAt, /^\d{4}-\d\d-\d\dT/);

    const audit = await h.request('GET', `/api/v1/audit?entityType=service&entityId=${service.id}`, { token: h.tokens.admin });
    assert.equal(audit.statusCode, 200);
    assert.deepEqual(audit.json().entries.map((e: { action: string }) => e.action), ['service.create']);
    assert.equal(audit.json().entries[0].actor.id, h.users.responder.id);
  });

  it('lists and shows services; observers see key previews, never the keys', async () => {
    const { service } = (await create({ name: 'Search' })).json();
    const forResponder = (await h.request('GET', `/api/v1/services/${service.id}`, { token: h.tokens.responder })).json();
    assert.equal(forResponder.service.integrationKeys[0].key, service.integrationKeys[0].key);
    const forObserver = await h.request('GET', '/api/v1/services', { token: h.tokens.observer });
    assert.equal(forObserver.statusCode, 200);
    const seen = forObserver.json().services.find((s: { id: string }) => s.id === service.id);
    assert.equal(seen.integrationKeys[0].key, null);
    assert.equal(seen.integrationKeys[0].keyPreview, `${service.integrationKeys[0].key.slice(0, 4)}…${service.integrationKeys[0].key.slice(-4)}`);
  });

  it('refuses mutations from observers and read-scoped tokens (403, nothing written)', async () => {
    const before = (await h.request('GET', '/api/v1/services', { token: h.tokens.admin })).json().services.length;
    const observer = await create({ name: 'Nope' }, h.tokens.observer);
    assert.equal(observer.statusCode, 403);
    assert.equal(errorOf(observer).code, 'FORBIDDEN');
    const readToken = await h.token('admin', 'read');
    assert.equal((await create({ name: 'Nope either' }, readToken)).statusCode, 403);
    assert.equal((await h.request('GET', '/api/v1/services', { token: h.tokens.admin })).json().services.length, before);
  });

  it('answers 401 without credentials and with a bad token', async () => {
    const none = await h.request('GET', '/api/v1/services');
    assert.equal(none.statusCode, 401);
    assert.equal(errorOf(none).code, 'UNAUTHORIZED');
    const bad = await h.request('GET', '/api/v1/services', { token: 'vgl_not-a-real-token' });
    assert.equal(bad.statusCode, 401);
    const malformed = await h.request('GET', '/api/v1/services', { headers: { authorization: 'Basic abc' } });
    assert.equal(malformed.statusCode, 401);
  });

  it('rejects bad input with the field and the reason', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{}, 'body.name', /required/],
      [{ name: '   ' }, 'body.name', /empty/],
      [{ name: 42 }, 'body.name', /string/],
      [{ name: 'X', colour: 'red' }, 'body.colour', /not a known field/],
      [{ name: 'X', runbookUrl: 'javascript:alert(1)' }, 'body.runbookUrl', /http/],
      [{ name: 'X', teamId: 'not-a-uuid' }, 'body.teamId', /uuid/],
      [{ name: 'X', teamId: '00000000-0000-4000-8000-000000000000' }, 'body.teamId', /no such team/],
    ];
    for (const [body, field, reason] of cases) {
      const res = await create(body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      const error = errorOf(res);
      assert.equal(error.code, 'VALIDATION');
      const found = error.details?.fields?.find((f) => f.field === field);
      assert.ok(found, `${JSON.stringify(body)} → ${JSON.stringify(error.details)}`);
      assert.match(found.reason, reason);
      assert.ok(error.requestId);
    }
  });

  it('rejects malformed JSON, a wrong content type and an oversized body', async () => {
    const malformed = await h.request('POST', '/api/v1/services', { token: h.tokens.responder, body: '{"name":', headers: { 'content-type': 'application/json' } });
    assert.equal(malformed.statusCode, 400);
    assert.equal(errorOf(malformed).code, 'VALIDATION');
    const text = await h.request('POST', '/api/v1/services', { token: h.tokens.responder, body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(text.statusCode, 415);
    assert.equal(errorOf(text).code, 'UNSUPPORTED_MEDIA_TYPE');
    const huge = await create({ name: 'Big', description: 'x'.repeat(70 * 1024) });
    assert.equal(huge.statusCode, 413);
    assert.equal(errorOf(huge).code, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses a duplicate name case-insensitively (409 CONFLICT on body.name)', async () => {
    assert.equal((await create({ name: 'Billing' })).statusCode, 201);
    const dup = await create({ name: 'billing' });
    assert.equal(dup.statusCode, 409);
    assert.equal(errorOf(dup).details?.fields?.[0]?.field, 'body.name');
  });

  it('adds, rotates and revokes integration keys; a rotated key is gone at once', async () => {
    const { service } = (await create({ name: 'Ledger' })).json();
    const first = service.integrationKeys[0];
    const added = await h.request('POST', `/api/v1/services/${service.id}/integration-keys`, { token: h.tokens.responder, body: { name: 'alertmanager' } });
    assert.equal(added.statusCode, 201);
    const rotated = await h.request('POST', `/api/v1/services/${service.id}/integration-keys/${first.id}/rotate`, { token: h.tokens.responder });
    assert.equal(rotated.statusCode, 201);
    const fresh = rotated.json().integrationKey;
    assert.equal(fresh.name, 'default');
    assert.notEqual(fresh.key, first.key);
    let keys = (await h.request('GET', `/api/v1/services/${service.id}`, { token: h.tokens.responder })).json().service.integrationKeys;
    assert.deepEqual(keys.map((k: { key: string }) => k.key).sort(), [fresh.key, added.json().integrationKey.key].sort());

    const again = await h.request('POST', `/api/v1/services/${service.id}/integration-keys/${first.id}/rotate`, { token: h.tokens.responder });
    assert.equal(again.statusCode, 404, 'a revoked key cannot be rotated again');

    const revoked = await h.request('DELETE', `/api/v1/services/${service.id}/integration-keys/${fresh.id}`, { token: h.tokens.responder });
    assert.equal(revoked.statusCode, 204);
    keys = (await h.request('GET', `/api/v1/services/${service.id}`, { token: h.tokens.responder })).json().service.integrationKeys;
    assert.deepEqual(keys.map((k: { name: string }) => k.name), ['alertmanager']);
    const denied = await h.request('DELETE', `/api/v1/services/${service.id}/integration-keys/${keys[0].id}`, { token: h.tokens.observer });
    assert.equal(denied.statusCode, 403);
  });

  it('updates a service, and only admins delete one', async () => {
    const { service } = (await create({ name: 'Inventory' })).json();
    const patched = await h.request('PATCH', `/api/v1/services/${service.id}`, { token: h.tokens.responder, body: { description: 'Stock levels', runbookUrl: null } });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().service.description, 'Stock levels');
    assert.equal((await h.request('DELETE', `/api/v1/services/${service.id}`, { token: h.tokens.responder })).statusCode, 403);
    assert.equal((await h.request('DELETE', `/api/v1/services/${service.id}`, { token: h.tokens.admin })).statusCode, 204);
    const gone = await h.request('GET', `/api/v1/services/${service.id}`, { token: h.tokens.admin });
    assert.equal(gone.statusCode, 404);
    assert.equal(errorOf(gone).code, 'NOT_FOUND');
    assert.equal((await h.request('GET', '/api/v1/services/not-a-uuid', { token: h.tokens.admin })).statusCode, 400);
  });
});
