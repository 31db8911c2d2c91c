/**
 * Local HTTP stand-ins for the internet services Vigil sends to (Slack, Twilio) and a plain
 * receiver for webhooks and Teams, for tests only. Each one is a real HTTP server on 127.0.0.1
 * that checks credentials as the service does and records every request it accepted, with the
 * time of the `now` it was given (a test's fake clock).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Listening {
  url: string;
  close(): Promise<void>;
}

async function listen(handle: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<Listening & { server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (res: ServerResponse, status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));

export interface SlackPost {
  /** `chat.postMessage` (bot) or `webhook` (an incoming webhook, by its path). */
  via: 'chat.postMessage' | 'webhook';
  /** The member or channel id, or the webhook path. */
  channel: string;
  text: string;
  blocks: unknown[] | undefined;
  headers: IncomingHttpHeaders;
  at: Date;
}

/**
 * Slack's Web API `chat.postMessage` at `${apiUrl}/chat.postMessage` (Bearer token; answers
 * `{"ok": false, "error": …}` as Slack does: `invalid_auth`, `channel_not_found` for ids starting
 * with `CNOTFOUND`) and incoming webhooks at `${url}/hooks/…` (answers `ok`).
 */
export async function startSlackStandIn(options: { token: string; now?: () => Date }): Promise<Listening & { apiUrl: string; posts: SlackPost[] }> {
  const posts: SlackPost[] = [];
  const now = options.now ?? (() => new Date());
  const l = await listen((req, body, res) => {
    if (req.method !== 'POST') return res.writeHead(405).end();
    if (req.url?.startsWith('/hooks/')) {
      const m = JSON.parse(body) as { text: string; blocks?: unknown[] };
      posts.push({ via: 'webhook', channel: req.url, text: m.text, blocks: m.blocks, headers: req.headers, at: now() });
      return res.writeHead(200, { 'content-type': 'text/html' }).end('ok');
    }
    if (req.url !== '/api/chat.postMessage') return json(res, 404, { ok: false, error: 'unknown_method' });
    if (req.headers.authorization !== `Bearer ${options.token}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
    if (!String(req.headers['content-type']).startsWith('application/json')) return json(res, 200, { ok: false, error: 'invalid_form_data' });
    const m = JSON.parse(body) as { channel: string; text: string; blocks?: unknown[] };
    if (m.channel.startsWith('CNOTFOUND')) return json(res, 200, { ok: false, error: 'channel_not_found' });
    posts.push({ via: 'chat.postMessage', channel: m.channel, text: m.text, blocks: m.blocks, headers: req.headers, at: now() });
    json(res, 200, { ok: true, channel: m.channel, ts: `${posts.length}.000100` });
  });
  return { url: l.url, apiUrl: `${l.url}/api`, posts, close: l.close };
}

export interface PhoneRequest {
  kind: 'sms' | 'voice';
  to: string;
  from: string;
  /** The SMS body, or the call's TwiML. */
  content: string;
  headers: IncomingHttpHeaders;
  at: Date;
}

/**
 * Twilio's `Messages.json` and `Calls.json` under `/2010-04-01/Accounts/{sid}/`: HTTP Basic auth
 * (401 with error 20003 otherwise), form-encoded fields, 400 with error 21211 for a `To` that is
 * not E.164, 201 with a resource SID on success.
 */
export async function startTwilioStandIn(options: { accountSid: string; authToken: string; now?: () => Date }): Promise<Listening & { requests: PhoneRequest[] }> {
  const requests: PhoneRequest[] = [];
  const now = options.now ?? (() => new Date());
  const basic = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const l = await listen((req, body, res) => {
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    if (req.headers.authorization !== basic || m[1] !== options.accountSid) return json(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
    const form = new URLSearchParams(body);
    const to = form.get('To') ?? '';
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return json(res, 400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 });
    const kind = m[2] === 'Messages' ? 'sms' : 'voice';
    const content = (kind === 'sms' ? form.get('Body') : form.get('Twiml')) ?? '';
    if (!content) return json(res, 400, { code: 21602, message: 'Message body is required.', status: 400 });
    requests.push({ kind, to, from: form.get('From') ?? '', content, headers: req.headers, at: now() });
    json(res, 201, { sid: `${kind === 'sms' ? 'SM' : 'CA'}${String(requests.length).padStart(32, '0')}`, status: 'queued', to });
  });
  return { url: l.url, requests, close: l.close };
}

export interface Received {
  path: string;
  body: Record<string, any>;
  headers: IncomingHttpHeaders;
  at: Date;
}

/** A webhook (or Teams) receiver: records JSON POSTs and answers 200 with `answer` (Teams says `1`). */
export async function startReceiver(options: { now?: () => Date; answer?: string } = {}): Promise<Listening & { received: Received[] }> {
  const received: Received[] = [];
  const now = options.now ?? (() => new Date());
  const l = await listen((req, body, res) => {
    received.push({ path: req.url ?? '', body: JSON.parse(body || '{}'), headers: req.headers, at: now() });
    res.writeHead(200).end(options.answer ?? '');
  });
  return { url: l.url, received, close: l.close };
}
