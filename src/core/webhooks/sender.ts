/** One signed POST, as core/webhooks hands it to the transport. */
export interface WebhookRequest {
  url: string;
  /** The raw JSON body: the exact bytes that were signed. */
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** What came back: any HTTP status (2xx or not); network errors and timeouts throw instead. */
export interface WebhookResponse {
  status: number;
  retryAfter: string | null;
  /** The first characters of the response body, for the delivery log. */
  excerpt: string;
  durationMs: number;
}

/**
 * The transport, handed in by the composition root (src/integrations/webhook/outbound.ts), so this
 * domain never imports an integration. It must not follow redirects.
 */
export type WebhookSender = (request: WebhookRequest) => Promise<WebhookResponse>;
