import { defineFamily, type Job } from '../../engine/index.ts';
import { type Channels, type OutboundMessage, shortForm } from '../contacts/index.ts';
import { NOTIFY_SEND, type NotifySendPayload } from './paging.ts';
import { lockNotification, setNotification } from './store.ts';

/** What a webhook receives for a page (`vigil.page`); email gets the same as subject and text. */
export interface PageBody {
  type: 'vigil.page';
  notificationId: string;
  /** Stable for the send (incident:level:pass:user:method:delay): receivers drop repeats by it. */
  idempotencyKey: string;
  incident: {
    id: string;
    number: number;
    title: string;
    urgency: 'high' | 'low';
    url: string;
    service: { id: string; name: string; runbookUrl: string | null };
    runbookUrl: string | null;
  };
  message: string;
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 2000);

/**
 * `notify.send`: one notification row, sent at most once per attempt. The row is claimed in a
 * transaction of its own (`queued` → `sending`, or a `sending` row of an earlier attempt whose run
 * was lost), so two runs of the job never both send; an incident acknowledged or resolved since
 * cancels it instead. The send happens after that commit; success marks it `sent`, a failure puts
 * it back to `queued` with the error and throws (the engine retries with backoff), and the last
 * attempt's failure marks it `failed`.
 */
export const notifyJobs = (channels: Channels, options: { publicUrl: string }) =>
  defineFamily('notify', 1, {
    [NOTIFY_SEND]: async (job: Job<NotifySendPayload>, { db, clock }) => {
      const id = job.payload.notificationId;
      const claimed = await db.transaction().execute(async (tx) => {
        const n = await lockNotification(tx, id);
        if (!n) return null;
        const claimable = n.status === 'queued' || (n.status === 'sending' && n.attempts < job.attempt);
        if (!claimable) return null;
        const now = clock.now();
        if (n.incident_status !== 'triggered') {
          await setNotification(tx, id, now, { status: 'cancelled', lastError: `incident ${n.incident_status} before the send` });
          return null;
        }
        if (!n.type || !n.address || !n.verified_at) {
          await setNotification(tx, id, now, { status: 'failed', lastError: 'the contact method was deleted or is no longer verified' });
          return null;
        }
        await setNotification(tx, id, now, { status: 'sending', attempts: job.attempt });
        return { ...n, type: n.type, address: n.address };
      });
      if (!claimed) return;
      const url = `${options.publicUrl.replace(/\/+$/, '')}/incidents/${claimed.number}`;
      const text = [
        `Incident #${claimed.number} on ${claimed.service_name} needs you: ${claimed.title}`,
        `Urgency: ${claimed.urgency}`,
        `Open it: ${url}`,
        ...(claimed.runbook_url ? [`Runbook: ${claimed.runbook_url}`] : []),
      ].join('\n');
      const service = { id: claimed.service_id, name: claimed.service_name, runbookUrl: claimed.runbook_url };
      const body: PageBody = {
        type: 'vigil.page',
        notificationId: claimed.id,
        idempotencyKey: claimed.idempotency_key,
        incident: { id: claimed.incident_id, number: claimed.number, title: claimed.title, urgency: claimed.urgency, url, service, runbookUrl: claimed.runbook_url },
        message: text,
      };
      const page: OutboundMessage = {
        subject: `[Vigil] #${claimed.number} ${claimed.title} (${claimed.urgency} urgency, ${claimed.service_name})`,
        text,
        // SMS and voice: one text (voice drops the link).
        short: shortForm(`Vigil #${claimed.number} ${claimed.urgency}:`, claimed.title, url),
        body: body as unknown as OutboundMessage['body'],
        // Lets a receiver drop a repeated delivery of one page.
        headers: { 'Idempotency-Key': claimed.idempotency_key, 'X-Vigil-Notification-Id': claimed.id },
      };
      try {
        await channels[claimed.type](claimed.address, page);
      } catch (e) {
        const final = job.attempt >= job.maxAttempts;
        await setNotification(db, id, clock.now(), { status: final ? 'failed' : 'queued', lastError: describe(e) });
        throw e;
      }
      await setNotification(db, id, clock.now(), { status: 'sent', lastError: null });
    },
  });
