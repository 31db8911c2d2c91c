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
 * No redirects, and at most the first 2 KB of the response body are read.
 */
export const sendWebhook: WebhookSender = async (request) => {
  const started = performance.now();
  const res = await fetch(request.url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  const excerpt = await readExcerpt(res, 2048);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), excerpt, durationMs: Math.round(performance.now() - started) };
};

async function readExcerpt(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, maxBytes));
}
