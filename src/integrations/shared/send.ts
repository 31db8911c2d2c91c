/** What an outbound call got back: the status and at most the first few kilobytes of the body. */
export interface SendAnswer {
  status: number;
  text: string;
}

const MAX_ANSWER_CHARS = 8_000;

/**
 * One outbound HTTP request to a chat or phone provider, as `postWebhook` does: a timeout, and no
 * redirects followed (a 3xx is a failure: the configured URL is the receiver). The caller decides
 * what counts as success.
 */
export async function sendRequest(url: string, init: { method?: string; headers: Record<string, string>; body: string; timeoutMs?: number }): Promise<SendAnswer> {
  const res = await fetch(url, {
    method: init.method ?? 'POST',
    headers: { 'user-agent': 'Vigil', ...init.headers },
    body: init.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
  });
  const text = (await res.text()).slice(0, MAX_ANSWER_CHARS);
  return { status: res.status, text };
}

/** The links a message carries in its body (a page's incident and runbook, acknowledge/resolve links). */
export interface MessageLinks {
  incident?: string;
  runbook?: string;
  acknowledge?: string;
  resolve?: string;
}

const httpUrl = (v: unknown): string | undefined => (typeof v === 'string' && /^https?:\/\//i.test(v) ? v : undefined);

/** Reads the links from a `vigil.page` body (or any body shaped like one); absent ones are left out. */
export function linksOf(body: Record<string, unknown>): MessageLinks {
  const incident = (body.incident ?? {}) as Record<string, unknown>;
  const actions = (body.actions ?? {}) as Record<string, unknown>;
  const links: MessageLinks = {};
  const set = (k: keyof MessageLinks, v: string | undefined) => {
    if (v) links[k] = v;
  };
  set('incident', httpUrl(incident.url));
  set('runbook', httpUrl(incident.runbookUrl));
  set('acknowledge', httpUrl(actions.acknowledge));
  set('resolve', httpUrl(actions.resolve));
  return links;
}

export const LINK_TITLES: Record<keyof MessageLinks, string> = { incident: 'Open incident', runbook: 'Runbook', acknowledge: 'Acknowledge', resolve: 'Resolve' };
