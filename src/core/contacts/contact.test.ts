import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SHORT_MAX, shortForm } from './channels.ts';
import { checkAddress, checkCode, MAX_CODE_ATTEMPTS, normaliseAddress, readinessOf } from './contact.ts';

describe('contact method addresses', () => {
  const cases: [Parameters<typeof checkAddress>[0], string, boolean][] = [
    ['email', 'ana@example.com', true],
    ['email', 'ana.b+oncall@mail.example.co.uk', true],
    ['email', 'ana@localhost', false],
    ['email', 'ana example@example.com', false],
    ['email', 'Ana <ana@example.com>', false],
    ['email', '', false],
    ['webhook', 'https://hooks.example.com/vigil/abc', true],
    ['webhook', 'http://10.0.0.5:8080/page', true],
    ['webhook', 'https://user:secret@hooks.example.com/', false],
    ['webhook', 'ftp://hooks.example.com/', false],
    ['webhook', 'hooks.example.com/x', false],
    ['sms', '+14155550123', true],
    ['voice', '+442071838750', true],
    ['sms', '4155550123', false],
    ['sms', '+0123456789', false],
    ['sms', '+1415555012345678', false],
    ['slack', 'U0123ABCD', true],
    ['slack', 'C0123ABCDEF', true],
    ['slack', 'https://hooks.slack.com/services/T0/B0/x', false],
    ['slack', '#general', false],
    ['slack_webhook', 'https://hooks.slack.com/services/T000/B000/XXXX', true],
    ['slack_webhook', 'http://hooks.slack.com/services/T000/B000/XXXX', false],
    ['teams', 'https://example.webhook.office.com/webhookb2/abc', true],
    ['teams', 'https://u:p@example.webhook.office.com/x', false],
    ['teams', 'not a url', false],
  ];
  for (const [type, address, ok] of cases) {
    it(`${type} ${JSON.stringify(address)} is ${ok ? 'accepted' : 'refused'}`, () => assert.equal(checkAddress(type, address) === null, ok));
  }
  it('compares email addresses without case, webhook URLs as written', () => {
    assert.equal(normaliseAddress('email', ' Ana@Example.COM '), 'ana@example.com');
    assert.equal(normaliseAddress('webhook', ' https://x.example/A '), 'https://x.example/A');
  });
  it('writes phone numbers as E.164 and Slack ids in upper case', () => {
    assert.equal(normaliseAddress('sms', ' +1 (415) 555-0123 '), '+14155550123');
    assert.equal(normaliseAddress('voice', '0044 20 7183 8750'), '+442071838750');
    assert.equal(normaliseAddress('slack', ' u0123abcd '), 'U0123ABCD');
  });
});

describe('verification codes', () => {
  const now = new Date('2026-03-02T09:00:00Z');
  const state = { codeHash: 'h', expiresAt: new Date(now.getTime() + 1), attempts: 0 };
  it('accepts the code before it expires', () => assert.equal(checkCode(state, 'h', now), 'ok'));
  it('refuses another code', () => assert.equal(checkCode(state, 'x', now), 'wrong'));
  it('refuses the right code at its expiry', () => assert.equal(checkCode({ ...state, expiresAt: now }, 'h', now), 'expired'));
  it('refuses even the right code after too many wrong ones', () => assert.equal(checkCode({ ...state, attempts: MAX_CODE_ATTEMPTS }, 'h', now), 'too-many-attempts'));
  it('says when no code was sent', () => assert.equal(checkCode({ codeHash: null, expiresAt: null, attempts: 0 }, 'h', now), 'no-code'));
});

describe('readiness', () => {
  const email = { id: 'm1', verified: true, label: 'Work email' };
  const hook = { id: 'm2', verified: false, label: 'Pager hook' };
  it('is ready for an urgency with a rule on a verified method', () => {
    const r = readinessOf([email, hook], [{ contactMethodId: 'm1', urgency: 'high' }]);
    assert.equal(r.high, true);
    assert.equal(r.low, false);
    assert.deepEqual(r.problems, ['no notification rule for low urgency on a verified method']);
  });
  it('is not ready through an unverified method, and says so', () => {
    const r = readinessOf([hook], [{ contactMethodId: 'm2', urgency: 'high' }]);
    assert.equal(r.high, false);
    assert.ok(r.problems.includes('no verified contact method'));
    assert.ok(r.problems.includes('"Pager hook" is in a notification rule but not verified'));
  });
  it('names a person with no method at all', () => assert.deepEqual(readinessOf([], []).problems[0], 'no contact method'));
});

describe('the short form of a message (SMS, voice)', () => {
  it('keeps a short title whole and cuts a long one so the text fits one SMS, keeping the link', () => {
    assert.equal(shortForm('Vigil #12 high:', 'Disk full', 'https://v.example/incidents/12'), 'Vigil #12 high: Disk full https://v.example/incidents/12');
    const long = shortForm('Vigil #12 high:', 'x'.repeat(300), 'https://v.example/incidents/12');
    assert.equal(long.length, SHORT_MAX);
    assert.match(long, /^Vigil #12 high: x+\.\.\. https:\/\/v\.example\/incidents\/12$/);
  });
});
