import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OutboundMessage } from '../../core/contacts/index.ts';
import { startSlackStandIn } from '../testing/stand-ins.ts';
import { createSlackBot, postSlackWebhook, renderSlack } from './outbound.ts';

const page: OutboundMessage = {
  subject: '[Vigil] #12 <Disk> & full (high urgency, Payments)',
  text: 'Incident #12 on Payments needs you: <Disk> & full\nOpen it: https://vigil.example.com/incidents/12',
  body: {
    type: 'vigil.page',
    message: '…',
    incident: { url: 'https://vigil.example.com/incidents/12', runbookUrl: 'https://runbooks.example.com/disk?a=1&b=2' },
    actions: { acknowledge: 'https://vigil.example.com/a/ack-token', resolve: 'https://vigil.example.com/a/resolve-token' },
  },
  headers: { 'Idempotency-Key': 'inc:0:0:u:m:0' },
};

describe('Slack outbound', () => {
  let slack: Awaited<ReturnType<typeof startSlackStandIn>>;
  before(async () => {
    slack = await startSlackStandIn({ token: 'xoxb-right' });
  });
  after(() => slack.close());

  it('renders a page with escaped text and its links, acknowledge and resolve among them', () => {
    const m = renderSlack(page);
    assert.equal(m.text, '[Vigil] #12 &lt;Disk&gt; &amp; full (high urgency, Payments)');
    assert.deepEqual(m.blocks!.at(-1), {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: '<https://vigil.example.com/incidents/12|Open incident>  ·  <https://runbooks.example.com/disk?a=1&amp;b=2|Runbook>  ·  <https://vigil.example.com/a/ack-token|Acknowledge>  ·  <https://vigil.example.com/a/resolve-token|Resolve>',
        },
      ],
    });
    assert.deepEqual(renderSlack({ subject: 's', text: 'Enter 123456', body: { type: 'vigil.contact_verification', message: 'x' } }), { text: 'Enter 123456' });
  });

  it('posts with the bot token as JSON and passes the idempotency key on', async () => {
    await createSlackBot({ apiUrl: slack.apiUrl, token: 'xoxb-right' }).post('U0123ABCD', renderSlack(page), page.headers);
    const got = slack.posts.at(-1)!;
    assert.equal(got.via, 'chat.postMessage');
    assert.equal(got.channel, 'U0123ABCD');
    assert.match(got.text, /#12/);
    assert.equal(got.headers['idempotency-key'], 'inc:0:0:u:m:0');
  });

  it("throws with Slack's error when it answers ok: false", async () => {
    const before = slack.posts.length;
    await assert.rejects(createSlackBot({ apiUrl: slack.apiUrl, token: 'xoxb-wrong' }).post('U0123ABCD', { text: 'x' }), /Slack refused the message: invalid_auth/);
    await assert.rejects(createSlackBot({ apiUrl: slack.apiUrl, token: 'xoxb-right' }).post('CNOTFOUND1', { text: 'x' }), /channel_not_found/);
    assert.equal(slack.posts.length, before);
  });

  it('posts to an incoming webhook and throws on a refusal', async () => {
    await postSlackWebhook(`${slack.url}/hooks/services/T0/B0/secret`, renderSlack(page));
    assert.equal(slack.posts.at(-1)!.via, 'webhook');
    assert.equal(slack.posts.at(-1)!.channel, '/hooks/services/T0/B0/secret');
    await assert.rejects(postSlackWebhook(`${slack.url}/nowhere`, { text: 'x' }), /answered 404/);
  });
});
