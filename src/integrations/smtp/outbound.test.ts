import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { createEmailSender } from './outbound.ts';

// A real SMTP listener on 127.0.0.1 that requires a login and relays for one domain only.
describe('email through SMTP', () => {
  const received: { from: string; to: string[]; raw: string }[] = [];
  let server: SMTPServer;
  let port: number;
  before(async () => {
    server = new SMTPServer({
      authOptional: false,
      disabledCommands: ['STARTTLS'],
      onAuth: (auth, _session, callback) =>
        auth.username === 'vigil' && auth.password === 's3cret' ? callback(null, { user: 'vigil' }) : callback(new Error('Invalid username or password')),
      onRcptTo: (address, _session, callback) => (address.address.endsWith('@example.com') ? callback() : callback(Object.assign(new Error('relay denied'), { responseCode: 550 }))),
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
        stream.on('end', () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('delivers a message with its subject, sender and text', async () => {
    const sender = createEmailSender(`smtp://vigil:s3cret@127.0.0.1:${port}`, 'Vigil <vigil@example.com>');
    await sender.send('ana@example.com', { subject: 'Your Vigil verification code: 123456', text: 'Enter 123456 in Vigil.' });
    sender.close();
    const mail = received.at(-1)!;
    assert.equal(mail.from, 'vigil@example.com');
    assert.deepEqual(mail.to, ['ana@example.com']);
    assert.match(mail.raw, /^Subject: Your Vigil verification code: 123456\r?$/m);
    assert.match(mail.raw, /Enter 123456 in Vigil\./);
  });

  it('throws when the server refuses the recipient or the login', async () => {
    const sender = createEmailSender(`smtp://vigil:s3cret@127.0.0.1:${port}`, 'vigil@example.com');
    await assert.rejects(sender.send('someone@elsewhere.test', { subject: 's', text: 't' }), /relay denied|550/);
    sender.close();
    const wrong = createEmailSender(`smtp://vigil:nope@127.0.0.1:${port}`, 'vigil@example.com');
    await assert.rejects(wrong.send('ana@example.com', { subject: 's', text: 't' }), /Invalid username or password|535/);
    wrong.close();
  });
});
