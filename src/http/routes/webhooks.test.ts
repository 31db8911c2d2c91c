import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

const MISSING = '00000000-0000-4000-8000-000000000000';

eachDatabase('webhooks API', (kind) => {
  let h: Harness;
  let serviceId: string;
  before(async () => {
    h = await createHarness(kind);
    serviceId = (await h.request('POST', '/api/v1/services', { token: h.tokens.responder, body: { name: 'Checkout' } })).json().service.id;
  });
  after(() => h.close());

  const create = (body: unknown, token = h.tokens.admin) => h.request('POST', '/api/v1/webhooks', { token, body });
  const actions = async (id: string) =>
    (await h.request('GET', `/api/v1/audit?entityType=webhook&entityId=${id}`, { token: h.tokens.admin })).json().entries.map((e: { action: string }) => e.action);

  it('creates with the secret shown once, lists and shows without it, changes, rotates and deletes, auditing each', async () => {
    const res = await create({ url: 'https://hooks.example.com/vigil?token=abc', description: 'Bridge', serviceId, events: ['incident.triggered', 'incident.resolved'] });
    assert.equal(res.statusCode, 201, res.body);
    const { webhook, secret } = res.json();
    assert.match(secret, /^vigil_whsec_/);
    assert.deepEqual(
      { ...webhook, id: undefined, createdAt: undefined, updatedAt: undefined },
      { id: undefined, url: 'https://hooks.example.com/vigil?token=abc', description: 'Bridge', serviceId, serviceName: 'Checkout', events: ['incident.triggered', 'incident.resolved'], enabled: true, createdAt: undefined, updatedAt: undefined },
    );
    const list = await h.request('GET', '/api/v1/webhooks', { token: h.tokens.admin });
    assert.equal(list.statusCode, 200);
    assert.ok(!list.body.includes(secret), 'the list never shows the secret');
    assert.deepEqual(list.json().webhooks, [webhook]);
    const shown = await h.request('GET', `/api/v1/webhooks/${webhook.id}`, { token: h.tokens.admin });
    assert.deepEqual(shown.json(), { webhook });

    const global = await create({ url: 'http://10.0.0.5:9000/in' });
    assert.equal(global.json().webhook.serviceId, null);
    assert.equal(global.json().webhook.events.length, 7, 'default: every event type');

    const patched = await h.request('PATCH', `/api/v1/webhooks/${webhook.id}`, { token: h.tokens.admin, body: { enabled: false, serviceId: null } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().webhook.enabled, false);
    assert.equal(patched.json().webhook.serviceId, null);

    const rotated = await h.request('POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`, { token: h.tokens.admin });
    assert.equal(rotated.statusCode, 200);
    assert.notEqual(rotated.json().secret, secret);

    const tested = await h.request('POST', `/api/v1/webhooks/${webhook.id}/test`, { token: h.tokens.admin });
    assert.equal(tested.statusCode, 202, tested.body);
    assert.equal(tested.json().delivery.eventType, 'vigil.ping');
    assert.equal(tested.json().delivery.status, 'queued');
    const log = await h.request('GET', `/api/v1/webhooks/${webhook.id}/deliveries?limit=10`, { token: h.tokens.admin });
    assert.equal(log.statusCode, 200, log.body);
    assert.deepEqual(log.json().deliveries.map((d: { id: string }) => d.id), [tested.json().delivery.id]);
    assert.equal(log.json().nextCursor, null);
    const again = await h.request('POST', `/api/v1/webhooks/${webhook.id}/deliveries/${tested.json().delivery.id}/redeliver`, { token: h.tokens.admin });
    assert.equal(again.statusCode, 202, again.body);
    assert.equal(again.json().delivery.redeliveryOf, tested.json().delivery.id);

    const audit = await h.request('GET', `/api/v1/audit?entityType=webhook&entityId=${webhook.id}`, { token: h.tokens.admin });
    assert.ok(!audit.body.includes('token=abc'), 'the audit log names the host, not the URL');
    assert.ok(!audit.body.includes(secret) && !audit.body.includes(rotated.json().secret));

    const deleted = await h.request('DELETE', `/api/v1/webhooks/${webhook.id}`, { token: h.tokens.admin });
    assert.equal(deleted.statusCode, 204);
    for (const [method, path] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['POST', '/rotate-secret'], ['GET', '/deliveries'], ['POST', '/test']] as const) {
      const gone = await h.request(method, `/api/v1/webhooks/${webhook.id}${path}`, { token: h.tokens.admin, ...(method === 'PATCH' ? { body: { enabled: true } } : {}) });
      assert.equal(gone.statusCode, 404, `${method} ${path}`);
      assert.equal(errorOf(gone).code, 'NOT_FOUND');
    }
    assert.deepEqual(await actions(webhook.id), ['webhook.delete', 'webhook.redeliver', 'webhook.test', 'webhook.rotate_secret', 'webhook.update', 'webhook.create']);
  });

  it('refuses bad input with the field and reason', async () => {
    const cases: [unknown, string][] = [
      [{ url: 'ftp://example.com/x' }, 'body.url'],
      [{ url: 'not a url' }, 'body.url'],
      [{ url: 'https://user:pw@example.com/x' }, 'body.url'],
      [{ url: `https://example.com/${'a'.repeat(2048)}` }, 'body.url'],
      [{ url: 'https://example.com/x', events: ['incident.exploded'] }, 'body.events.0'],
      [{ url: 'https://example.com/x', events: [] }, 'body.events'],
      [{ url: 'https://example.com/x', serviceId: MISSING }, 'body.serviceId'],
      [{ url: 'https://example.com/x', secret: 'mine' }, 'body.secret'],
      [{}, 'body.url'],
    ];
    for (const [body, field] of cases) {
      const res = await create(body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body).slice(0, 80)}: ${res.body}`);
      const error = errorOf(res);
      assert.equal(error.code, 'VALIDATION');
      assert.ok(error.details?.fields?.some((f) => f.field.startsWith(field)), `${field} in ${JSON.stringify(error.details)}`);
    }
    const { webhook } = (await create({ url: 'https://example.com/ok' })).json();
    const badCursor = await h.request('GET', `/api/v1/webhooks/${webhook.id}/deliveries?cursor=abc`, { token: h.tokens.admin });
    assert.equal(badCursor.statusCode, 400);
    assert.equal(errorOf(badCursor).details?.fields?.[0]?.field, 'query.cursor');
    const unknownDelivery = await h.request('POST', `/api/v1/webhooks/${webhook.id}/deliveries/${MISSING}/redeliver`, { token: h.tokens.admin });
    assert.equal(unknownDelivery.statusCode, 404);
  });

  it('is admin-only: 401 without credentials, 403 for responders, observers and a write-scoped admin token', async () => {
    const { webhook } = (await create({ url: 'https://example.com/secret-path' })).json();
    const adminWrite = await h.token('admin', 'write');
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/webhooks'],
      ['POST', '/api/v1/webhooks', { url: 'https://example.com/x' }],
      ['GET', `/api/v1/webhooks/${webhook.id}`],
      ['PATCH', `/api/v1/webhooks/${webhook.id}`, { enabled: false }],
      ['DELETE', `/api/v1/webhooks/${webhook.id}`],
      ['POST', `/api/v1/webhooks/${webhook.id}/rotate-secret`],
      ['GET', `/api/v1/webhooks/${webhook.id}/deliveries`],
      ['POST', `/api/v1/webhooks/${webhook.id}/deliveries/${MISSING}/redeliver`],
      ['POST', `/api/v1/webhooks/${webhook.id}/test`],
    ];
    for (const [method, url, body] of routes) {
      const anonymous = await h.request(method, url, body ? { body } : {});
      assert.equal(anonymous.statusCode, 401, `${method} ${url}`);
      assert.equal(errorOf(anonymous).code, 'UNAUTHORIZED');
      for (const token of [h.tokens.responder, h.tokens.observer, adminWrite]) {
        const denied = await h.request(method, url, { token, ...(body ? { body } : {}) });
        assert.equal(denied.statusCode, 403, `${method} ${url}: ${denied.body}`);
        assert.equal(errorOf(denied).code, 'FORBIDDEN');
        assert.ok(!denied.body.includes('secret-path'));
      }
    }
    assert.equal((await h.request('GET', `/api/v1/webhooks/${webhook.id}`, { token: h.tokens.admin })).json().webhook.enabled, true, 'nothing changed');
  });
});
