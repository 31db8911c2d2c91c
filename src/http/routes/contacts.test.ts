import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

eachDatabase('contacts API', (kind) => {
  let h: Harness;
  before(async () => {
    h = await createHarness(kind);
  });
  after(() => h.close());

  const hook = { type: 'webhook', label: 'Pager hook', address: 'https://hooks.example.com/responder' };

  it('adds a webhook method to yourself, unverified, and shows it with your readiness', async () => {
    const res = await h.request('POST', '/api/v1/users/me/contact-methods', { token: h.tokens.responder, body: hook });
    assert.equal(res.statusCode, 201, res.body);
    const { contactMethod } = res.json();
    assert.equal(contactMethod.verified, false);
    assert.equal(contactMethod.userId, h.users.responder.id);
    const rule = await h.request('POST', '/api/v1/users/me/notification-rules', { token: h.tokens.responder, body: { contactMethodId: contactMethod.id, urgency: 'high', delayMinutes: 0 } });
    assert.equal(rule.statusCode, 201, rule.body);
    const mine = (await h.request('GET', `/api/v1/users/${h.users.responder.id}/contacts`, { token: h.tokens.responder })).json();
    assert.equal(mine.methods.length, 1);
    assert.equal(mine.rules.length, 1);
    assert.equal(mine.readiness.high, false, 'not verified yet');
    // No code was sent yet (no engine runs in this harness): verifying says so.
    const verify = await h.request('POST', `/api/v1/users/me/contact-methods/${contactMethod.id}/verify`, { token: h.tokens.responder, body: { code: '123456' } });
    assert.equal(verify.statusCode, 412);
    assert.equal(errorOf(verify).code, 'PRECONDITION_FAILED');
  });

  it('keeps addresses personal: others get 403, an admin may read them, no token gets 401', async () => {
    const other = await h.request('GET', `/api/v1/users/${h.users.responder.id}/contacts`, { token: h.tokens.observer });
    assert.equal(other.statusCode, 403);
    assert.equal(errorOf(other).code, 'FORBIDDEN');
    const write = await h.request('POST', `/api/v1/users/${h.users.responder.id}/contact-methods`, { token: h.tokens.observer, body: hook });
    assert.equal(write.statusCode, 403);
    assert.equal((await h.request('GET', `/api/v1/users/${h.users.responder.id}/contacts`, { token: h.tokens.admin })).statusCode, 200);
    assert.equal((await h.request('GET', '/api/v1/users/me/contacts')).statusCode, 401);
    const readToken = await h.token('responder', 'read');
    const denied = await h.request('POST', '/api/v1/users/me/contact-methods', { token: readToken, body: { ...hook, address: 'https://hooks.example.com/2' } });
    assert.equal(denied.statusCode, 403, 'a read-scoped token changes nothing');
  });

  it('refuses email without SMTP configured, bad bodies naming the field, and unknown ids', async () => {
    const email = await h.request('POST', '/api/v1/users/me/contact-methods', { token: h.tokens.responder, body: { type: 'email', label: 'Work', address: 'r@example.com' } });
    assert.equal(email.statusCode, 412);
    assert.match(errorOf(email).message, /VIGIL_SMTP_URL/);
    for (const [type, address, variable] of [['slack', 'U0123ABCD', /VIGIL_SLACK_BOT_TOKEN/], ['sms', '+14155550123', /VIGIL_TWILIO_ACCOUNT_SID/], ['voice', '+14155550123', /VIGIL_TWILIO_ACCOUNT_SID/]] as const) {
      const refused = await h.request('POST', '/api/v1/users/me/contact-methods', { token: h.tokens.responder, body: { type, label: type, address } });
      assert.equal(refused.statusCode, 412, `${type} without its channel configured`);
      assert.match(errorOf(refused).message, variable);
    }
    const phone = await h.request('POST', '/api/v1/users/me/contact-methods', { token: h.tokens.responder, body: { type: 'teams', label: 'Teams', address: 'http://teams.example.com/x' } });
    assert.equal(phone.statusCode, 400);
    assert.deepEqual(errorOf(phone).details!.fields, [{ field: 'body.address', reason: 'must be an absolute https URL' }]);
    const bad = await h.request('POST', '/api/v1/users/me/contact-methods', { token: h.tokens.responder, body: { type: 'webhook', label: 'x', address: 'not a url' } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorOf(bad).details!.fields!.map((f) => f.field), ['body.address']);
    const extra = await h.request('POST', '/api/v1/users/me/contact-methods', { token: h.tokens.responder, body: { ...hook, verified: true } });
    assert.equal(extra.statusCode, 400);
    const gone = await h.request('DELETE', '/api/v1/users/me/contact-methods/00000000-0000-4000-8000-000000000000', { token: h.tokens.responder });
    assert.equal(gone.statusCode, 404);
  });

  it('lists everyone on call in the next week with what keeps a page from reaching them', async () => {
    const schedule = await h.request('POST', '/api/v1/schedules', {
      token: h.tokens.responder,
      body: {
        name: 'Primary',
        timeZone: 'UTC',
        layers: [{ id: 'l', name: 'Everyone', participants: [h.users.responder.id, h.users.admin.id], rotation: { unit: 'day', length: 1 }, handoff: { date: '2026-03-01', time: '09:00' }, start: '2026-03-01T00:00:00Z' }],
      },
    });
    assert.equal(schedule.statusCode, 201, schedule.body);
    const res = await h.request('GET', '/api/v1/readiness', { token: h.tokens.observer });
    assert.equal(res.statusCode, 200, res.body);
    const people = res.json().people as { user: { name: string }; readiness: { high: boolean; problems: string[] } }[];
    assert.deepEqual(people.map((p) => p.user.name).sort(), ['The admin', 'The responder']);
    const admin = people.find((p) => p.user.name === 'The admin')!;
    assert.equal(admin.readiness.high, false);
    assert.ok(admin.readiness.problems.includes('no contact method'));
    const responder = people.find((p) => p.user.name === 'The responder')!;
    assert.ok(responder.readiness.problems.includes('"Pager hook" is in a notification rule but not verified'));
    assert.equal(JSON.stringify(res.json()).includes('hooks.example.com'), false, 'no addresses');
  });

  it('adds Slack, SMS and voice methods once their channels are configured, with normalised addresses', async () => {
    const configured = await createHarness(kind, { slackBotToken: 'xoxb-test', twilioAccountSid: 'AC1' });
    try {
      const add = (body: unknown) => configured.request('POST', '/api/v1/users/me/contact-methods', { token: configured.tokens.responder, body });
      const sms = await add({ type: 'sms', label: 'Phone', address: '+1 (415) 555-0123' });
      assert.equal(sms.statusCode, 201, sms.body);
      assert.equal(sms.json().contactMethod.address, '+14155550123');
      const slack = await add({ type: 'slack', label: 'Slack DM', address: 'u0123abcd' });
      assert.equal(slack.statusCode, 201, slack.body);
      assert.equal(slack.json().contactMethod.address, 'U0123ABCD');
      const bad = await add({ type: 'voice', label: 'Phone', address: '415 555 0123' });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(errorOf(bad).details!.fields!.map((f) => f.field), ['body.address']);
      const hook = await add({ type: 'slack_webhook', label: 'Channel', address: 'https://hooks.slack.com/services/T0/B0/x' });
      assert.equal(hook.statusCode, 201, 'an incoming webhook needs no server settings');
    } finally {
      await configured.close();
    }
  });
});
