/**
 * Recording receivers for the paging scenarios: a real SMTP listener (smtp-server), a webhook
 * receiver, and the Slack and Twilio stand-ins, each recording what arrived at which time of the
 * test's fake clock. `inboxOf` merges them into one person's messages, in order.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type PhoneRequest, type Received, type SlackPost, startReceiver, startSlackStandIn, startTwilioStandIn } from '../../src/integrations/testing/stand-ins.ts';

export interface Mail {
  to: string[];
  subject: string;
  raw: string;
  at: Date;
}

export const SLACK_TOKEN = 'xoxb-scenario-bot-token';
export const TWILIO = { accountSid: 'ACscenario0000000000000000000000', authToken: 'scenario-auth-token', from: '+15005550006' };

export interface Receivers {
  mails: Mail[];
  hooks: Received[];
  slack: SlackPost[];
  phone: PhoneRequest[];
  /** The server settings that send through these receivers. */
  env: Record<string, string>;
  hookUrl(path: string): string;
  clear(): void;
  close(): Promise<void>;
}

export async function startReceivers(now: () => Date): Promise<Receivers> {
  const mails: Mail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
      stream.on('end', () => {
        const subject = /^Subject: (.*)\r?$/m.exec(raw)?.[1] ?? '';
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject, raw, at: now() });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const hooks = await startReceiver({ now });
  const slack = await startSlackStandIn({ token: SLACK_TOKEN, now });
  const twilio = await startTwilioStandIn({ ...TWILIO, now });
  return {
    mails,
    hooks: hooks.received,
    slack: slack.posts,
    phone: twilio.requests,
    env: {
      VIGIL_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      VIGIL_SMTP_FROM: 'Vigil <vigil@example.com>',
      VIGIL_SLACK_BOT_TOKEN: SLACK_TOKEN,
      VIGIL_SLACK_API_URL: slack.apiUrl,
      VIGIL_TWILIO_ACCOUNT_SID: TWILIO.accountSid,
      VIGIL_TWILIO_AUTH_TOKEN: TWILIO.authToken,
      VIGIL_TWILIO_FROM: TWILIO.from,
      VIGIL_TWILIO_BASE_URL: twilio.url,
    },
    hookUrl: (path) => `${hooks.url}${path}`,
    clear() {
      for (const list of [mails, hooks.received, slack.posts, twilio.requests]) list.length = 0;
    },
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await Promise.all([hooks.close(), slack.close(), twilio.close()]);
    },
  };
}

/** One message a person got: through what, when, and what it said (text, subject or TwiML). */
export interface Delivery {
  via: 'email' | 'webhook' | 'slack' | 'sms' | 'voice';
  at: Date;
  content: string;
}

/** Everything that reached a person at any of their addresses, in arrival order. */
export function inboxOf(r: Receivers, person: { email?: string; hookPath?: string; slackId?: string; phone?: string }): Delivery[] {
  const all: Delivery[] = [
    ...r.mails.filter((m) => person.email && m.to.includes(person.email)).map((m) => ({ via: 'email' as const, at: m.at, content: m.subject })),
    ...r.hooks.filter((h) => person.hookPath && h.path === person.hookPath).map((h) => ({ via: 'webhook' as const, at: h.at, content: String(h.body.message) })),
    ...r.slack.filter((s) => person.slackId && s.channel === person.slackId).map((s) => ({ via: 'slack' as const, at: s.at, content: s.text })),
    ...r.phone.filter((p) => person.phone && p.to === person.phone).map((p) => ({ via: p.kind, at: p.at, content: p.content })),
  ];
  return all.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The verification code in a message, whichever channel carried it (voice reads it digit by digit). */
export function codeIn(content: string): string | undefined {
  return /\b(\d{6})\b/.exec(content)?.[1] ?? /(\d(?:, \d){5})/.exec(content)?.[1]?.replace(/, /g, '');
}
