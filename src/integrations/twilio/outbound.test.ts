import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OutboundMessage } from '../../core/contacts/index.ts';
import { startTwilioStandIn } from '../testing/stand-ins.ts';
import { createPhoneSender, smsText, voiceTwiml } from './outbound.ts';

const page: OutboundMessage = {
  subject: '[Vigil] #12 Disk full (high urgency, Payments)',
  text: 'long text',
  short: 'Vigil #12 high: Disk <full> & "hot" https://vigil.example.com/incidents/12',
  body: { type: 'vigil.page', message: 'x' },
  headers: { 'Idempotency-Key': 'inc:1' },
};

describe('Twilio outbound', () => {
  let twilio: Awaited<ReturnType<typeof startTwilioStandIn>>;
  before(async () => {
    twilio = await startTwilioStandIn({ accountSid: 'AC123', authToken: 'right' });
  });
  after(() => twilio.close());
  const sender = (authToken = 'right') => createPhoneSender({ baseUrl: twilio.url, accountSid: 'AC123', authToken, from: '+15005550006' });

  it('texts the short form with Basic auth, form-encoded, passing the idempotency key on', async () => {
    await sender().sms('+14155550123', page);
    const got = twilio.requests.at(-1)!;
    assert.deepEqual([got.kind, got.to, got.from, got.content], ['sms', '+14155550123', '+15005550006', page.short]);
    assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(got.headers['idempotency-key'], 'inc:1');
    assert.equal(smsText({ ...page, short: undefined }), page.subject, 'the subject without a short form');
  });

  it('calls with TwiML that says the short form twice, escaped, without the link, codes digit by digit', async () => {
    await sender().call('+14155550123', page);
    const said = '<Say>Vigil #12 high: Disk &lt;full&gt; &amp; &quot;hot&quot;</Say>';
    assert.equal(twilio.requests.at(-1)!.content, `<Response>${said}<Pause length="1"/>${said}</Response>`);
    assert.match(voiceTwiml({ ...page, short: 'Your Vigil code is 123456' }), /<Say>Your Vigil code is 1, 2, 3, 4, 5, 6<\/Say>/);
  });

  it("throws with Twilio's error code on a refusal: bad credentials, a bad number", async () => {
    const before = twilio.requests.length;
    await assert.rejects(sender('wrong').sms('+14155550123', page), /Messages answered 401: 20003 Authenticate/);
    await assert.rejects(sender().call('12345', page), /Calls answered 400: 21211/);
    assert.equal(twilio.requests.length, before);
  });
});
