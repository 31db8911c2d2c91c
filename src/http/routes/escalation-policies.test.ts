import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

const MISSING = '00000000-0000-4000-8000-000000000000';

eachDatabase('escalation policies API', (kind) => {
  let h: Harness;
  let scheduleId: string;
  let teamId: string;
  let serviceId: string;
  before(async () => {
    h = await createHarness(kind);
    const layer = { name: 'Primary', participants: [h.users.responder.id, h.users.admin.id], rotation: { unit: 'day', length: 1 }, handoff: { date: '2026-03-02', time: '09:00' }, start: '2026-03-01T00:00:00Z' };
    scheduleId = (await h.request('POST', '/api/v1/schedules', { token: h.tokens.responder, body: { name: 'Primary', timeZone: 'UTC', layers: [layer] } })).json().schedule.id;
    teamId = (await h.request('POST', '/api/v1/teams', { token: h.tokens.admin, body: { name: 'SRE' } })).json().team.id;
    for (const role of ['observer', 'admin'] as const) {
      const added = await h.request('POST', `/api/v1/teams/${teamId}/members`, { token: h.tokens.admin, body: { userId: h.users[role].id } });
      assert.ok(added.statusCode < 300, added.body);
    }
    serviceId = (await h.request('POST', '/api/v1/services', { token: h.tokens.responder, body: { name: 'Checkout' } })).json().service.id;
  });
  after(() => h.close());

  const levels = () => [
    { delayMinutes: 5, targets: [{ type: 'schedule', id: scheduleId }] },
    { delayMinutes: 10, mode: 'round-robin', targets: [{ type: 'team', id: teamId }, { type: 'user', id: h.users.responder.id }] },
  ];
  const create = (body: unknown, token = h.tokens.responder) => h.request('POST', '/api/v1/escalation-policies', { token, body });
  const actions = async (entityType: string, id: string) =>
    (await h.request('GET', `/api/v1/audit?entityType=${entityType}&entityId=${id}`, { token: h.tokens.admin })).json().entries.map((e: { action: string }) => e.action);

  it('creates, reads, lists, changes and deletes a policy, auditing each change', async () => {
    const res = await create({ name: 'Checkout', repeat: 1, levels: levels() });
    assert.equal(res.statusCode, 201, res.body);
    const { policy } = res.json();
    assert.equal(policy.version, 1);
    assert.deepEqual(policy.levels[0], { delayMinutes: 5, mode: 'all', targets: [{ type: 'schedule', id: scheduleId, name: 'Primary' }] });
    assert.equal(policy.levels[1].mode, 'round-robin');
    assert.deepEqual(policy.services, []);

    const got = await h.request('GET', `/api/v1/escalation-policies/${policy.id}`, { token: h.tokens.observer });
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.json().policy, policy);
    const list = await h.request('GET', '/api/v1/escalation-policies', { token: h.tokens.observer });
    assert.ok(list.json().policies.some((p: { id: string }) => p.id === policy.id));

    const patched = await h.request('PATCH', `/api/v1/escalation-policies/${policy.id}`, { token: h.tokens.responder, body: { name: 'Checkout v2', repeat: 0 } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().policy.name, 'Checkout v2');
    assert.equal(patched.json().policy.version, 2);
    assert.deepEqual(patched.json().policy.levels, policy.levels);

    const deleted = await h.request('DELETE', `/api/v1/escalation-policies/${policy.id}`, { token: h.tokens.admin });
    assert.equal(deleted.statusCode, 204);
    for (const [method, url] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['GET', '/preview']] as const) {
      const gone = await h.request(method, `/api/v1/escalation-policies/${policy.id}${url}`, { token: h.tokens.admin, ...(method === 'PATCH' ? { body: { name: 'x' } } : {}) });
      assert.equal(gone.statusCode, 404, `${method} ${url}`);
      assert.equal(errorOf(gone).code, 'NOT_FOUND');
    }
    assert.deepEqual(await actions('escalation-policy', policy.id), ['escalation-policy.delete', 'escalation-policy.update', 'escalation-policy.create']);
  });

  it('points a service at a policy; deleting the policy while in use is 409 naming the service', async () => {
    const { policy } = (await create({ name: 'Paged', levels: levels() })).json();
    const put = await h.request('PUT', `/api/v1/services/${serviceId}/escalation-policy`, { token: h.tokens.responder, body: { policyId: policy.id } });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json(), { serviceId, policy: { id: policy.id, name: 'Paged' } });
    assert.equal((await h.request('GET', `/api/v1/services/${serviceId}`, { token: h.tokens.observer })).json().service.escalationPolicyId, policy.id);
    assert.deepEqual((await h.request('GET', `/api/v1/escalation-policies/${policy.id}`, { token: h.tokens.observer })).json().policy.services, [{ id: serviceId, name: 'Checkout' }]);

    const refused = await h.request('DELETE', `/api/v1/escalation-policies/${policy.id}`, { token: h.tokens.admin });
    assert.equal(refused.statusCode, 409);
    assert.equal(errorOf(refused).code, 'CONFLICT');
    assert.deepEqual((errorOf(refused).details as { services?: unknown }).services, [{ id: serviceId, name: 'Checkout' }]);

    const cleared = await h.request('PUT', `/api/v1/services/${serviceId}/escalation-policy`, { token: h.tokens.responder, body: { policyId: null } });
    assert.deepEqual(cleared.json(), { serviceId, policy: null });
    assert.equal((await h.request('GET', `/api/v1/services/${serviceId}`, { token: h.tokens.observer })).json().service.escalationPolicyId, null);
    assert.equal((await h.request('DELETE', `/api/v1/escalation-policies/${policy.id}`, { token: h.tokens.admin })).statusCode, 204);
    assert.deepEqual((await actions('service', serviceId)).slice(0, 2), ['service.set-escalation-policy', 'service.set-escalation-policy']);

    const noService = await h.request('PUT', `/api/v1/services/${MISSING}/escalation-policy`, { token: h.tokens.responder, body: { policyId: null } });
    assert.equal(noService.statusCode, 404);
    const noPolicy = await h.request('PUT', `/api/v1/services/${serviceId}/escalation-policy`, { token: h.tokens.responder, body: { policyId: MISSING } });
    assert.equal(noPolicy.statusCode, 400);
    assert.deepEqual(errorOf(noPolicy).details?.fields, [{ field: 'body.policyId', reason: 'no such escalation policy' }]);
    const noBody = await h.request('PUT', `/api/v1/services/${serviceId}/escalation-policy`, { token: h.tokens.responder, body: {} });
    assert.equal(errorOf(noBody).details?.fields?.[0]?.field, 'body.policyId');
  });

  it('previews who each level pages at `at`, observers included', async () => {
    const { policy } = (await create({ name: 'Preview', levels: levels() })).json();
    const res = await h.request('GET', `/api/v1/escalation-policies/${policy.id}/preview?at=2026-03-03T12:00:00Z`, { token: h.tokens.observer });
    assert.equal(res.statusCode, 200, res.body);
    const { preview } = res.json();
    assert.equal(preview.at, '2026-03-03T12:00:00.000Z');
    // Tuesday: the admin's day on the schedule; the team is admin + observer (by name), then the responder.
    assert.deepEqual(preview.levels[0].users.map((u: { id: string }) => u.id), [h.users.admin.id]);
    assert.deepEqual(preview.levels[1].users.map((u: { name: string }) => u.name), ['The admin', 'The observer', 'The responder']);
    assert.deepEqual(
      preview.timeline.map((s: { at: string; level: number; users: { name: string }[] }) => [s.at, s.level, s.users.map((u) => u.name)]),
      [
        ['2026-03-03T12:00:00.000Z', 0, ['The admin']],
        ['2026-03-03T12:05:00.000Z', 1, ['The admin']],
      ],
    );
    const bad = await h.request('GET', `/api/v1/escalation-policies/${policy.id}/preview?at=soon`, { token: h.tokens.observer });
    assert.equal(bad.statusCode, 400);
    assert.equal(errorOf(bad).details?.fields?.[0]?.field, 'query.at');
  });

  it('answers 401 without credentials and 403 below the permission each route needs, changing nothing', async () => {
    const { policy } = (await create({ name: 'Guarded', levels: levels() })).json();
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/escalation-policies'],
      ['POST', '/api/v1/escalation-policies', { name: 'x', levels: levels() }],
      ['GET', `/api/v1/escalation-policies/${policy.id}`],
      ['PATCH', `/api/v1/escalation-policies/${policy.id}`, { name: 'x' }],
      ['DELETE', `/api/v1/escalation-policies/${policy.id}`],
      ['GET', `/api/v1/escalation-policies/${policy.id}/preview`],
      ['PUT', `/api/v1/services/${serviceId}/escalation-policy`, { policyId: policy.id }],
    ];
    for (const [method, url, body] of routes) {
      const res = await h.request(method, url, { body });
      assert.equal(res.statusCode, 401, `${method} ${url}`);
      assert.equal(errorOf(res).code, 'UNAUTHORIZED');
    }
    const readToken = await h.token('admin', 'read');
    for (const token of [h.tokens.observer, readToken]) {
      for (const [method, url, body] of routes.filter(([m]) => m !== 'GET')) {
        const res = await h.request(method, url, { token, body });
        assert.equal(res.statusCode, 403, `${method} ${url}`);
        assert.equal(errorOf(res).code, 'FORBIDDEN');
      }
    }
    const writeToken = await h.token('admin', 'write');
    for (const token of [h.tokens.responder, writeToken]) {
      const res = await h.request('DELETE', `/api/v1/escalation-policies/${policy.id}`, { token });
      assert.equal(res.statusCode, 403, 'deleting needs admin');
    }
    const still = (await h.request('GET', `/api/v1/escalation-policies/${policy.id}`, { token: h.tokens.observer })).json().policy;
    assert.equal(still.name, 'Guarded');
    assert.equal(still.version, 1);
    assert.equal((await h.request('GET', `/api/v1/services/${serviceId}`, { token: h.tokens.observer })).json().service.escalationPolicyId, null);
    assert.deepEqual(await actions('escalation-policy', policy.id), ['escalation-policy.create']);
  });

  it('documents every escalation route in the OpenAPI document, each with a summary', async () => {
    const doc = (await h.request('GET', '/api/v1/openapi.json')).json();
    const paths = ['/api/v1/escalation-policies', '/api/v1/escalation-policies/{id}', '/api/v1/escalation-policies/{id}/preview', '/api/v1/services/{id}/escalation-policy'];
    for (const path of paths) {
      assert.ok(doc.paths[path], `missing ${path}`);
      for (const [method, op] of Object.entries(doc.paths[path] as Record<string, { summary?: string }>)) assert.ok(op.summary, `${method} ${path} has no summary`);
    }
    assert.ok(doc.components.schemas.ErrorResponse || JSON.stringify(doc).includes('ErrorResponse'));
  });

  it('rejects bad input with the field and the reason', async () => {
    const level = { delayMinutes: 5, targets: [{ type: 'user', id: h.users.responder.id }] };
    const cases: [unknown, string, RegExp][] = [
      [{ name: 'x', levels: [] }, 'body.levels', /fewer than 1/],
      [{ name: 'x', levels: [{ ...level, delayMinutes: 0 }] }, 'body.levels.0.delayMinutes', />= 1/],
      [{ name: 'x', levels: [{ ...level, delayMinutes: 1441 }] }, 'body.levels.0.delayMinutes', /<= 1440/],
      [{ name: 'x', levels: [level, { ...level, mode: 'random' }] }, 'body.levels.1.mode', /./],
      [{ name: 'x', repeat: 10, levels: [level] }, 'body.repeat', /<= 9/],
      [{ name: 'x', levels: [level, { delayMinutes: 5, targets: [{ type: 'schedule', id: MISSING }] }] }, 'body.levels.1.targets.0.id', /no such schedule/],
      [{ name: 'x', levels: [{ delayMinutes: 5, targets: [{ type: 'team', id: MISSING }] }] }, 'body.levels.0.targets.0.id', /no such team/],
      [{ name: 'x', levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: 'bob' }] }] }, 'body.levels.0.targets.0.id', /uuid/],
      [{ name: 'x', levels: [{ delayMinutes: 5, targets: [level.targets[0], level.targets[0]] }] }, 'body.levels.0.targets.1', /already/],
      [{ name: '  ', levels: [level] }, 'body.name', /empty/],
      [{ name: 'x', levels: [level], colour: 'red' }, 'body.colour', /not a known field/],
      [{ name: 'x', teamId: MISSING, levels: [level] }, 'body.teamId', /no such team/],
    ];
    for (const [body, field, reason] of cases) {
      const res = await create(body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      const error = errorOf(res);
      assert.equal(error.code, 'VALIDATION');
      const found = error.details?.fields?.find((f) => f.field === field);
      assert.ok(found, `${JSON.stringify(body)} → ${JSON.stringify(error.details)}`);
      assert.match(found.reason, reason);
    }
    await create({ name: 'Unique', levels: [level] });
    const taken = await create({ name: 'unique', levels: [level] });
    assert.equal(taken.statusCode, 409);
    assert.equal(errorOf(taken).details?.fields?.[0]?.field, 'body.name');
    assert.equal((await h.request('GET', '/api/v1/escalation-policies/nope', { token: h.tokens.observer })).statusCode, 400);
  });
});
