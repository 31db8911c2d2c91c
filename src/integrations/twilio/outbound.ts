import type { OutboundMessage } from '../../core/contacts/index.ts';
import { sendRequest } from '../shared/send.ts';

export interface TwilioOptions {
  /** `https://api.twilio.com`, or a compatible provider's or a test stand-in's base URL. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** The E.164 number texts and calls come from. */
  from: string;
  timeoutMs?: number;
}

export interface PhoneSender {
  sms(to: string, message: OutboundMessage): Promise<void>;
  call(to: string, message: OutboundMessage): Promise<void>;
}

const MAX_SMS_CHARS = 1600;

/** What a text says: the short form, or the subject for messages without one. */
export const smsText = (message: OutboundMessage): string => (message.short ?? message.subject).slice(0, MAX_SMS_CHARS);

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/**
 * What a call says, twice (the first time is often lost while the phone is lifted): the short form
 * without its links (a URL read aloud helps nobody), with codes read digit by digit.
 */
export function voiceTwiml(message: OutboundMessage): string {
  const said = smsText(message)
    .replace(/\bhttps?:\/\/\S+/g, '')
    .replace(/\d{4,}/g, (digits) => digits.split('').join(', '))
    .replace(/\s+/g, ' ')
    .trim();
  const say = `<Say>${xml(said)}</Say>`;
  return `<Response>${say}<Pause length="1"/>${say}</Response>`;
}

/**
 * SMS and voice through Twilio's REST API (or one that speaks it): `Messages.json` and `Calls.json`
 * under the account, form-encoded, with HTTP Basic auth (account SID and auth token). Twilio
 * answers 201 with the created resource; anything else throws with its error code and message,
 * and the engine job retries. The message's headers (an `Idempotency-Key`) are passed on.
 */
export function createPhoneSender(options: TwilioOptions): PhoneSender {
  const account = `${options.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}`;
  const auth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  async function create(resource: 'Messages' | 'Calls', fields: Record<string, string>, headers: Record<string, string> | undefined) {
    const answer = await sendRequest(`${account}/${resource}.json`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: auth, ...headers },
      body: new URLSearchParams(fields).toString(),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    if (answer.status === 200 || answer.status === 201) return;
    let detail = '';
    try {
      const e = JSON.parse(answer.text) as { code?: unknown; message?: unknown };
      detail = `: ${[e.code, e.message].filter((x) => x !== undefined && x !== null).join(' ')}`.slice(0, 200);
    } catch {
      // not JSON: the status says enough
    }
    throw new Error(`Twilio ${resource} answered ${answer.status}${detail}`);
  }
  return {
    sms: (to, message) => create('Messages', { To: to, From: options.from, Body: smsText(message) }, message.headers),
    call: (to, message) => create('Calls', { To: to, From: options.from, Twiml: voiceTwiml(message) }, message.headers),
  };
}
