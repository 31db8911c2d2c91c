import { defineFamily, type Job, retryDelayMs, scheduleJob } from '../../engine/index.ts';
import type { Tx } from '../shared/context.ts';
import { deliveryKey, WEBHOOK_DELIVER, type WebhookDeliverPayload } from './record-events.ts';
import type { WebhookSender } from './sender.ts';
import { lockDeliveryForSend, setDelivery } from './store.ts';
import { EXCERPT_LENGTH, MAX_ATTEMPTS, RETRY, retryable, retryAfterMs, signatureHeader, TIMEOUT_MS } from './webhook.ts';

/** A `sending` row older than this belongs to a run that crashed: the next run may take it over. */
const STALE_SENDING_MS = 2 * 60_000;
const describe = (e: unknown) => (e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e)).slice(0, 1000);

/** What a receiver gets: the event, with the incident as it was when the event happened. */
export interface WebhookBody {
  id: string;
  type: string;
  occurredAt: string;
  incident: Record<string, unknown> | null;
  data: Record<string, unknown>;
}

/**
 * `webhook.deliver`: one delivery, one attempt per run. The row is claimed in a transaction of its
 * own (`queued` → `sending`, attempts + 1), the POST happens after that commit, and the result is
 * recorded: 2xx → `delivered`; network error, timeout, 408, 429 or 5xx → back to `queued` with the
 * next attempt scheduled on this job's key (Retry-After honoured up to an hour), until
 * MAX_ATTEMPTS → `failed`; any other status → `failed` at once. A disabled subscription's pending
 * deliveries fail without a send (pings excepted).
 */
export const webhookJobs = (send: WebhookSender, options: { publicUrl: string; version: string }) =>
  defineFamily('webhook', 1, {
    [WEBHOOK_DELIVER]: async (job: Job<WebhookDeliverPayload>, { db, clock }) => {
      const id = job.payload.deliveryId;
      const claimed = await db.transaction().execute(async (tx) => {
        const d = await lockDeliveryForSend(tx, id);
        if (!d) return null; // the subscription (and its log) was deleted
        const now = clock.now();
        const stale = d.status === 'sending' && now.getTime() - d.updated_at.getTime() > STALE_SENDING_MS;
        if (d.status !== 'queued' && !stale) return null;
        if (!d.enabled && d.type !== 'vigil.ping') {
          await setDelivery(tx, id, now, { status: 'failed', lastError: 'the subscription was disabled before the send', nextAttemptAt: null });
          return null;
        }
        await setDelivery(tx, id, now, { status: 'sending', attempts: d.attempts + 1, lastAttemptAt: now, nextAttemptAt: null });
        return { ...d, attempts: d.attempts + 1 };
      });
      if (!claimed) return;

      const base = options.publicUrl.replace(/\/+$/, '');
      const incident = claimed.incident ? { ...claimed.incident, url: `${base}/incidents/${claimed.incident.number}` } : null;
      const body: WebhookBody = { id: claimed.event_id, type: claimed.type, occurredAt: claimed.occurred_at.toISOString(), incident, data: claimed.data };
      const raw = JSON.stringify(body);
      const now = clock.now();
      const secrets = [claimed.secret, ...(claimed.previous_secret && claimed.previous_secret_until && claimed.previous_secret_until > now ? [claimed.previous_secret] : [])];
      const headers = {
        'Content-Type': 'application/json',
        'User-Agent': `Vigil/${options.version}`,
        'X-Vigil-Event-Id': claimed.event_id,
        'X-Vigil-Delivery-Id': claimed.id,
        // The event, not the delivery: retries and redeliveries of one event share it.
        'Idempotency-Key': claimed.event_id,
        'X-Vigil-Signature': signatureHeader(secrets, Math.floor(now.getTime() / 1000), raw),
      };

      let status: number | null = null;
      let error: string | null = null;
      let excerpt: string | null = null;
      let durationMs: number | null = null;
      let retryAfter: string | null = null;
      try {
        const res = await send({ url: claimed.url, body: raw, headers, timeoutMs: TIMEOUT_MS });
        ({ status, retryAfter, durationMs } = res);
        excerpt = res.excerpt.slice(0, EXCERPT_LENGTH);
        if (status < 200 || status >= 300) error = `answered ${status}`;
      } catch (e) {
        error = describe(e);
      }

      const done = clock.now();
      await db.transaction().execute(async (tx: Tx) => {
        const result = { lastStatusCode: status, responseExcerpt: excerpt, durationMs, lastError: error };
        if (error === null) return setDelivery(tx, id, done, { ...result, status: 'delivered', deliveredAt: done });
        if (!retryable(status) || claimed.attempts >= MAX_ATTEMPTS) return setDelivery(tx, id, done, { ...result, status: 'failed', nextAttemptAt: null });
        const waitMs = Math.max(retryDelayMs(claimed.attempts, Math.random(), RETRY), retryAfterMs(retryAfter, done) ?? 0);
        const next = new Date(done.getTime() + waitMs);
        await setDelivery(tx, id, done, { ...result, status: 'queued', nextAttemptAt: next });
        // Rescheduling the running job's own key: the engine runs it again at `next`.
        await scheduleJob(tx, { kind: WEBHOOK_DELIVER, key: deliveryKey(id), runAt: next, payload: { deliveryId: id } satisfies WebhookDeliverPayload, maxAttempts: 3, now: done });
      });
    },
  });
