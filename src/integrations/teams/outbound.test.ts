import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { OutboundMessage } from '../../core/contacts/index.ts';
import { startReceiver } from '../testing/stand-ins.ts';
import { postTeams, renderTeams } from './outbound.ts';

const page: OutboundMessage = {
  subject: '[Vigil] #7 [click](https://evil.example) *now*',
  text: 'Incident #7 needs you',
  body: { type: 'vigil.page', message: 'x', incident: { url: 'https://vigil.example.com/incidents/7', runbookUrl: null }, actions: { acknowledge: 'https://vigil.example.com/a/t' } },
  headers: { 'Idempotency-Key': 'k1' },
};

describe('Teams outbound', () => {
  let teams: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    teams = await startReceiver({ answer: '1' });
  });
  after(() => teams.close());

  it('posts an Adaptive Card with the subject escaped and the links as buttons', async () => {
    await postTeams(`${teams.url}/webhookb2/abc`, page);
    const got = teams.received.at(-1)!;
    assert.equal(got.headers['idempotency-key'], 'k1');
    assert.equal(got.body.type, 'message');
    const card = got.body.attachments[0];
    assert.equal(card.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(card.content.body[0].text, '\\[Vigil\\] \\#7 \\[click\\]\\(https://evil.example\\) \\*now\\*');
    assert.deepEqual(card.content.actions, [
      { type: 'Action.OpenUrl', title: 'Open incident', url: 'https://vigil.example.com/incidents/7' },
      { type: 'Action.OpenUrl', title: 'Acknowledge', url: 'https://vigil.example.com/a/t' },
    ]);
    assert.equal(renderTeams({ subject: 's', text: 't', body: { type: 'vigil.contact_verification', message: 't' } }).attachments instanceof Array, true);
  });

  it('throws on an error status, an error in a 2xx body, and a redirect', async () => {
    const answers: [number, string][] = [[400, 'Bad payload'], [200, 'Microsoft Teams endpoint returned HTTP error 429'], [302, '']];
    const server = createServer((_req, res) => {
      const [status, text] = answers.shift()!;
      res.writeHead(status, status === 302 ? { location: 'https://elsewhere.example/' } : {}).end(text);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      await assert.rejects(postTeams(url, page), /answered 400: Bad payload/);
      await assert.rejects(postTeams(url, page), /reported: .*429/);
      await assert.rejects(postTeams(url, page), /answered 302/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
