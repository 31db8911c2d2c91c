import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhookSender } from '../../core/webhooks/index.ts';

/**
 * A JSON POST to a person's or a subscription's webhook URL. Anything but a 2xx answer within the
 * timeout throws, and the engine job that sent it retries. Redirects are not followed: a webhook
 * URL is the receiver, and a redirect to another host is not consent to receive pages.
 */
export async function postWebhook(url: string, body: unknown, options: { timeoutMs?: number; headers?: Record<string, string> } = {}): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Vigil', ...options.headers },
    body: JSON.stringify(body),
    redirect: 'manual',
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  await res.body?.cancel();
  if (res.status < 200 || res.status >= 300) throw new Error(`webhook ${new URL(url).host} answered ${res.status}`);
}

/**
 * The transport of core/webhooks' subscriptions: POSTs the exact signed bytes and answers the
 * status whatever it is (the domain decides on retries); only network errors and the timeout throw.
 * No redirects (node:http follows none), and at most the first 2 KB of the response body are read.
 * A fresh connection per delivery (`agent: false`): reusing an idle keep-alive socket that the
 * receiver (or a load balancer before it) has just closed fails the POST with ECONNRESET.
 */
export const sendWebhook: WebhookSender = (request) =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const url = new URL(request.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const body = Buffer.from(request.body, 'utf8');
    const req = send(url, {
      method: 'POST',
      agent: false,
      headers: { ...request.headers, 'Content-Length': String(body.length) },
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    req.on('error', (e) => reject(e.name === 'AbortError' || e.name === 'TimeoutError' ? new Error(`no answer within ${request.timeoutMs / 1000} s`) : e));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        res.destroy();
        const retryAfter = res.headers['retry-after'];
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
          excerpt: new TextDecoder().decode(Buffer.concat(chunks).subarray(0, EXCERPT_BYTES)),
          durationMs: Math.round(performance.now() - started),
        });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= EXCERPT_BYTES) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.end(body);
  });

const EXCERPT_BYTES = 2048;
