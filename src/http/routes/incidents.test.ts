import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { applySignals, emptySignal } from '../../core/alerts/index.ts';
import { createPolicy, runEscalationStep, setServicePolicy } from '../../core/escalation/index.ts';
import { createService } from '../../core/services/index.ts';
import { type Ctx, systemActor } from '../../core/shared/context.ts';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

eachDatabase('incident actions API', (kind) => {
  let h: Harness;
  let serviceId: string;
  /** A new triggered incident, its escalation's first step run (no engine in this harness). */
  let open: (key: string) => Promise<{ id: string; number: number }>;
  before(async () => {
    h = await createHarness(kind);
    const system: Ctx = { db: h.database.db, clock: h.clock, actor: systemActor('test') };
    const service = await createService(system, { name: 'Payments' });
    serviceId = service.id;
    const policy = await createPolicy(system, {
      name: 'Payments',
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: h.users.responder.id }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: h.users.admin.id }] },
      ],
    });
    await setServicePolicy(system, service.id, policy.id);
    open = async (key) => {
      const now = h.clock.now();
      const [r] = await h.database.db.transaction().execute((tx) =>
        applySignals(tx, now, [{ target: { serviceId }, signal: { ...emptySignal('generic', 'trigger'), dedupKey: key, summary: `${key} down`, severity: 'critical' } }]),
      );
      await h.database.db.transaction().execute((tx) => runEscalationStep(tx, r!.incidentId!, now));
      return h.database.db.selectFrom('incidents').select(['id', 'number']).where('id', '=', r!.incidentId!).executeTakeFirstOrThrow();
    };
  });
  after(() => h.close());

  it('acknowledges an incident by number and resolves it by id, answering the incident and the alerts changed', async () => {
    const incident = await open('ack');
    const ack = await h.request('POST', `/api/v1/incidents/${incident.number}/acknowledge`, { token: h.tokens.responder });
    assert.equal(ack.statusCode, 200, ack.body);
    assert.equal(ack.json().incident.status, 'acknowledged');
    assert.deepEqual(ack.json().changed.map((a: { status: string }) => a.status), ['acknowledged']);
    const log = (await h.request('GET', `/api/v1/incidents/${incident.number}/notifications`, { token: h.tokens.observer })).json();
    assert.equal(log.escalation.stopReason, 'acknowledged');
    const resolved = await h.request('POST', `/api/v1/incidents/${incident.id}/resolve`, { token: h.tokens.responder });
    assert.equal(resolved.statusCode, 200, resolved.body);
    assert.equal(resolved.json().incident.status, 'resolved');
    const again = await h.request('POST', `/api/v1/incidents/${incident.id}/acknowledge`, { token: h.tokens.responder });
    assert.equal(again.statusCode, 412);
    assert.equal(errorOf(again).code, 'PRECONDITION_FAILED');
  });

  it('escalates now and to a level, moving nextRunAt, with the step in the log', async () => {
    const incident = await open('esc');
    const now = await h.request('POST', `/api/v1/incidents/${incident.number}/escalate`, { token: h.tokens.responder });
    assert.equal(now.statusCode, 200, now.body);
    assert.deepEqual(now.json().fired, { level: 1, pass: 0, userIds: [h.users.admin.id] });
    assert.equal(now.json().escalation.stopReason, 'completed', 'the last level of the only pass');
    const other = await open('esc-2');
    const to = await h.request('POST', `/api/v1/incidents/${other.id}/escalate`, { token: h.tokens.admin, body: { level: 0 } });
    assert.equal(to.statusCode, 200, to.body);
    const body = to.json();
    assert.deepEqual(body.fired, { level: 0, pass: 1, userIds: [h.users.responder.id] }, 'level 0 already paged: a new pass');
    assert.deepEqual(body.escalation.steps.at(-1).manual, { by: h.users.admin.id, requestedLevel: 0 });
    assert.equal(body.escalation.nextRunAt, new Date(h.clock.now().getTime() + 5 * 60_000).toISOString());
  });

  it('answers 400 naming body.level for a level outside the snapshot or not a whole number', async () => {
    const incident = await open('bad-level');
    for (const level of [2, -1, 'one']) {
      const res = await h.request('POST', `/api/v1/incidents/${incident.number}/escalate`, { token: h.tokens.responder, body: { level } });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(errorOf(res).code, 'VALIDATION');
      assert.deepEqual(errorOf(res).details!.fields!.map((f) => f.field), ['body.level']);
    }
  });

  it('reassigns an acknowledged incident to a person: triggered again, the new escalation in the log', async () => {
    const incident = await open('reassign');
    await h.request('POST', `/api/v1/incidents/${incident.number}/acknowledge`, { token: h.tokens.responder });
    const res = await h.request('POST', `/api/v1/incidents/${incident.number}/reassign`, { token: h.tokens.responder, body: { userIds: [h.users.admin.id] } });
    assert.equal(res.statusCode, 200, res.body);
    const log = res.json();
    assert.equal(log.escalation.policy.id, null);
    assert.equal(log.escalation.restarts, 1);
    assert.deepEqual(log.escalation.steps.at(-1).restart, { reason: 'reassigned', by: h.users.responder.id, to: 'The admin' });
    assert.equal((await h.request('GET', `/api/v1/incidents/${incident.number}`, { token: h.tokens.observer })).json().incident.status, 'triggered');
    const neither = await h.request('POST', `/api/v1/incidents/${incident.number}/reassign`, { token: h.tokens.responder, body: {} });
    assert.equal(neither.statusCode, 400, neither.body);
    assert.deepEqual(errorOf(neither).details!.fields!.map((f) => f.field), ['body']);
    const notUuid = await h.request('POST', `/api/v1/incidents/${incident.number}/reassign`, { token: h.tokens.responder, body: { userIds: ['bob'] } });
    assert.equal(notUuid.statusCode, 400, notUuid.body);
    assert.equal(errorOf(notUuid).code, 'VALIDATION');
    await h.request('POST', `/api/v1/incidents/${incident.number}/resolve`, { token: h.tokens.responder });
    const resolved = await h.request('POST', `/api/v1/incidents/${incident.number}/reassign`, { token: h.tokens.responder, body: { userIds: [h.users.admin.id] } });
    assert.equal(resolved.statusCode, 412);
  });

  it('answers 412 when the incident is not triggered', async () => {
    const incident = await open('not-triggered');
    await h.request('POST', `/api/v1/incidents/${incident.number}/acknowledge`, { token: h.tokens.responder });
    const res = await h.request('POST', `/api/v1/incidents/${incident.number}/escalate`, { token: h.tokens.responder });
    assert.equal(res.statusCode, 412);
    assert.equal(errorOf(res).code, 'PRECONDITION_FAILED');
  });

  it('refuses observers and read tokens (403), anonymous callers (401) and unknown incidents (404)', async () => {
    const incident = await open('perms');
    const readToken = await h.token('responder', 'read');
    for (const verb of ['acknowledge', 'resolve', 'escalate', 'reassign']) {
      const url = `/api/v1/incidents/${incident.number}/${verb}`;
      const body = verb === 'reassign' ? { userIds: [h.users.admin.id] } : undefined;
      for (const token of [h.tokens.observer, readToken]) {
        const res = await h.request('POST', url, { token, ...(body ? { body } : {}) });
        assert.equal(res.statusCode, 403, `${verb}: ${res.body}`);
        assert.equal(errorOf(res).code, 'FORBIDDEN');
      }
      assert.equal((await h.request('POST', url, body ? { body } : {})).statusCode, 401);
      const missing = await h.request('POST', `/api/v1/incidents/999999/${verb}`, { token: h.tokens.responder, ...(body ? { body } : {}) });
      assert.equal(missing.statusCode, 404, missing.body);
      assert.equal(errorOf(missing).code, 'NOT_FOUND');
    }
    const still = await h.request('GET', `/api/v1/incidents/${incident.number}`, { token: h.tokens.observer });
    assert.equal(still.json().incident.status, 'triggered');
  });
});
