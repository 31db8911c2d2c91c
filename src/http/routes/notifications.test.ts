import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { applySignals, emptySignal } from '../../core/alerts/index.ts';
import { createPolicy, runEscalationStep, setServicePolicy } from '../../core/escalation/index.ts';
import { createService } from '../../core/services/index.ts';
import { type Ctx, systemActor } from '../../core/shared/context.ts';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

eachDatabase('incident notifications API', (kind) => {
  let h: Harness;
  let incident: { id: string; number: number };
  before(async () => {
    h = await createHarness(kind);
    const system: Ctx = { db: h.database.db, clock: h.clock, actor: systemActor('test') };
    const now = h.clock.now();
    const method = await h.database.db
      .insertInto('contact_methods')
      .values({ user_id: h.users.responder.id, type: 'webhook', label: 'Pager hook', address: 'https://hooks.example.com/secret-path', verified_at: now, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await h.database.db.insertInto('notification_rules').values({ user_id: h.users.responder.id, contact_method_id: method.id, urgency: 'high', delay_minutes: 1, created_at: now }).execute();
    const service = await createService(system, { name: 'Payments' });
    const policy = await createPolicy(system, { name: 'Payments', levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: h.users.responder.id }] }] });
    await setServicePolicy(system, service.id, policy.id);
    const [r] = await h.database.db.transaction().execute((tx) =>
      applySignals(tx, now, [{ target: { serviceId: service.id }, signal: { ...emptySignal('generic', 'trigger'), dedupKey: 'x', summary: 'Payments down', severity: 'critical' } }]),
    );
    // No engine runs in this harness: run the escalation step the job would run.
    await h.database.db.transaction().execute((tx) => runEscalationStep(tx, r!.incidentId!, now));
    const row = await h.database.db.selectFrom('incidents').select(['id', 'number']).where('id', '=', r!.incidentId!).executeTakeFirstOrThrow();
    incident = row;
  });
  after(() => h.close());

  it("lists an incident's escalation and delivery log for any reader, by number or id, without addresses", async () => {
    const res = await h.request('GET', `/api/v1/incidents/${incident.number}/notifications`, { token: h.tokens.observer });
    assert.equal(res.statusCode, 200, res.body);
    const log = res.json();
    assert.equal(log.incidentId, incident.id);
    assert.equal(log.escalation.policy.name, 'Payments');
    assert.equal(log.escalation.stopReason, 'completed');
    assert.deepEqual(
      log.notifications.map((n: { user: { name: string }; contactMethod: { type: string; label: string }; status: string; delayMinutes: number }) => [n.user.name, n.contactMethod.type, n.contactMethod.label, n.status, n.delayMinutes]),
      [['The responder', 'webhook', 'Pager hook', 'queued', 1]],
    );
    assert.doesNotMatch(res.body, /secret-path/);
    const byId = await h.request('GET', `/api/v1/incidents/${incident.id}/notifications`, { token: h.tokens.observer });
    assert.deepEqual(byId.json(), log);
  });

  it('answers 404 for an unknown incident and 401 without credentials', async () => {
    const missing = await h.request('GET', '/api/v1/incidents/999999/notifications', { token: h.tokens.observer });
    assert.equal(missing.statusCode, 404);
    assert.equal(errorOf(missing).code, 'NOT_FOUND');
    assert.equal((await h.request('GET', `/api/v1/incidents/${incident.number}/notifications`)).statusCode, 401);
  });
});
