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
