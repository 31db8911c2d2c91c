import { defineFamily, type Job, scheduleJob, scheduleJobs } from '../../engine/index.ts';
import { pageLinks } from '../action-links/index.ts';
import { type Channels, type OutboundMessage, shortForm } from '../contacts/index.ts';
import { NOTIFY_MAX_ATTEMPTS, NOTIFY_SEND, notifyKey, type NotifySendPayload } from './paging.ts';
import {
  claimBundle,
  findNotificationMethod,
  failoverTarget,
  lastSendThrough,
  lockContactMethod,
  lockNotification,
  releaseBundle,
  type SendableNotification,
  setBundle,
  setNotification,
} from './store.ts';

/** One page's incident, as a webhook receives it. */
export interface PageItem {
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
  /** One-click links for the person paged (docs/escalation.md, "One-click links"); other channels render them too. */
  actions: PageActions;
}

export interface PageActions {
  acknowledge: string;
  resolve: string;
  expiresAt: string;
}

/** What a webhook receives for a page (`vigil.page`); email gets the same as subject and text. */
export interface PageBody extends PageItem {
  type: 'vigil.page';
  /** Other pages carried in this message (a throttled method bundles what came in meanwhile). */
  bundled: PageItem[];
  message: string;
}

/**
 * The least time between two messages through one contact method of a type, in seconds. The first
 * page goes out at once; what comes in during the interval waits for its end and then goes out as
 * one message (a storm of incidents rings a phone once a minute, not fifty times). Types not named
 * are not throttled.
 */
export const DEFAULT_THROTTLE_SECONDS: Readonly<Record<string, number>> = Object.freeze({ sms: 60, voice: 120 });
/** At most this many pages in one message. */
export const MAX_BUNDLE = 20;

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 2000);

type Sendable = SendableNotification & { actions: PageActions };

function itemOf(n: Sendable, publicUrl: string): PageItem {
  const url = `${publicUrl.replace(/\/+$/, '')}/incidents/${n.number}`;
  const service = { id: n.service_id, name: n.service_name, runbookUrl: n.runbook_url };
  return {
    notificationId: n.id,
    idempotencyKey: n.idempotency_key,
    incident: { id: n.incident_id, number: n.number, title: n.title, urgency: n.urgency, url, service, runbookUrl: n.runbook_url },
    actions: n.actions,
  };
}

/** The message for a page and the pages it carries: one incident says everything, several list each. */
export function pageMessage(leader: Sendable, members: readonly Sendable[], publicUrl: string): OutboundMessage {
  const first = itemOf(leader, publicUrl);
  const items = [first, ...members.map((m) => itemOf(m, publicUrl))];
  const describeOne = (i: PageItem) => [
    `Incident #${i.incident.number} on ${i.incident.service.name} needs you: ${i.incident.title}`,
    `Urgency: ${i.incident.urgency}`,
    `Open it: ${i.incident.url}`,
    `Acknowledge: ${i.actions.acknowledge}`,
    `Resolve: ${i.actions.resolve}`,
    ...(i.incident.runbookUrl ? [`Runbook: ${i.incident.runbookUrl}`] : []),
  ];
  const text =
    items.length === 1 ? describeOne(first).join('\n') : [`${items.length} incidents need you:`, ...items.flatMap((i) => ['', ...describeOne(i)])].join('\n');
  const body: PageBody = { type: 'vigil.page', ...first, bundled: items.slice(1), message: text };
  const i = first.incident;
  return {
    subject:
      items.length === 1
        ? `[Vigil] #${i.number} ${i.title} (${i.urgency} urgency, ${i.service.name})`
        : `[Vigil] ${items.length} incidents need you: #${i.number} ${i.title} and ${items.length - 1} more`,
    text,
    // One text for SMS and voice: the number, urgency, title (cut to fit) and link.
    short:
      items.length === 1
        ? shortForm(`Vigil #${i.number} ${i.urgency}:`, i.title, i.url)
        : shortForm(`Vigil ${items.length} incidents (${items.slice(0, 5).map((x) => `#${x.incident.number}`).join(' ')}${items.length > 5 ? ' …' : ''}):`, i.title, `${publicUrl.replace(/\/+$/, '')}/incidents`),
    body: body as unknown as OutboundMessage['body'],
    // Lets a receiver drop a repeated delivery of one page (the message's; carried pages have theirs in the body).
    headers: { 'Idempotency-Key': leader.idempotency_key, 'X-Vigil-Notification-Id': leader.id },
  };
}

/**
 * `notify.send`: one notification row, sent at most once per attempt. The row is claimed in a
 * transaction of its own (`queued` → `sending`, or a `sending` row of an earlier attempt whose run
 * was lost), so two runs of the job never both send; an incident acknowledged or resolved since
 * cancels it instead. Through a throttled method (DEFAULT_THROTTLE_SECONDS) the claim locks the
 * method: too soon after its last message the job moves to the interval's end, otherwise it takes
 * the other pages due through that method along (`claimBundle`) and sends them as one message. The
 * send happens after that commit; success marks it (and what it carries) `sent`, a failure puts it
 * back to `queued` with the error and throws (the engine retries with backoff), and the last
 * attempt's failure marks it `failed`.
 */
export const notifyJobs = (
  channels: Channels,
  options: { publicUrl: string; actionLinkTtlHours?: number | undefined; throttleSeconds?: Readonly<Record<string, number>> },
) =>
  defineFamily('notify', 1, {
    [NOTIFY_SEND]: async (job: Job<NotifySendPayload>, { db, clock }) => {
      const id = job.payload.notificationId;
      const throttles = options.throttleSeconds ?? DEFAULT_THROTTLE_SECONDS;
      const claimed = await db.transaction().execute(async (tx) => {
        // A throttled method is locked before the page (as deleting a method locks it before its
        // pages): two pages due through it at once then serialise, and the first carries the other.
        const method = await findNotificationMethod(tx, id);
        const throttle = method ? (throttles[method.type] ?? 0) * 1000 : 0;
        if (method && throttle > 0) await lockContactMethod(tx, method.id);
        const n = await lockNotification(tx, id);
        if (!n) return null;
        const now = clock.now();
        const giveBack = async () => {
          // Pages this one carried on an earlier attempt go back on their own jobs.
          const released = await releaseBundle(tx, id, now);
          await scheduleJobs(tx, released.map((r) => ({ kind: NOTIFY_SEND, key: notifyKey(r), runAt: now, payload: { notificationId: r }, maxAttempts: NOTIFY_MAX_ATTEMPTS, now })));
        };
        // Cancelled meanwhile (its incident acknowledged) or failed: what it carried is not its to send any more.
        if (n.status === 'cancelled' || n.status === 'failed') await giveBack();
        // A page another one carries is that one's to send (its own job may still run once).
        const claimable = !n.bundled_into && (n.status === 'queued' || (n.status === 'sending' && n.attempts < job.attempt));
        if (!claimable) return null;
        if (n.incident_status !== 'triggered') {
          await setNotification(tx, id, now, { status: 'cancelled', lastError: `incident ${n.incident_status} before the send` });
          await giveBack();
          return null;
        }
        if (!n.type || !n.address || !n.verified_at || !n.contact_method_id || !n.user_id) {
          await setNotification(tx, id, now, { status: 'failed', lastError: 'the contact method was deleted or is no longer verified' });
          await giveBack();
          return null;
        }
        let members: SendableNotification[] = [];
        if (throttle > 0) {
          const last = await lastSendThrough(tx, n.contact_method_id, id);
          if (last && last.getTime() + throttle > now.getTime()) {
            // Not a failure: the same job runs again when the method may send, and carries what came in meanwhile.
            await scheduleJob(tx, { kind: NOTIFY_SEND, key: notifyKey(id), runAt: new Date(last.getTime() + throttle), payload: { notificationId: id }, maxAttempts: NOTIFY_MAX_ATTEMPTS, now });
            return null;
          }
          members = await claimBundle(tx, n.contact_method_id, id, now, MAX_BUNDLE - 1);
        }
        await setNotification(tx, id, now, { status: 'sending', attempts: job.attempt });
        return { n: { ...n, type: n.type, address: n.address }, members };
      });
      if (!claimed) return;
      const { n, members } = claimed;
      // Each page carries its own links (they name the person and the page); made after the claim's commit.
      const withLinks = (x: SendableNotification) =>
        pageLinks(db, clock, { publicUrl: options.publicUrl, ttlHours: options.actionLinkTtlHours }, { incidentId: x.incident_id, userId: x.user_id!, notificationId: x.id }).then(
          (l): Sendable => ({ ...x, actions: { acknowledge: l.acknowledge, resolve: l.resolve, expiresAt: l.expiresAt.toISOString() } }),
        );
      const leader = await withLinks(n);
      const carried = await Promise.all(members.map(withLinks));
      try {
        await channels[n.type](n.address, pageMessage(leader, carried, options.publicUrl));
      } catch (e) {
        const final = job.attempt >= job.maxAttempts;
        const outcome = { status: final ? ('failed' as const) : ('queued' as const), lastError: describe(e) };
        await db.transaction().execute(async (tx) => {
          const now = clock.now();
          await setNotification(tx, id, now, outcome);
          await setBundle(tx, id, now, outcome);
          if (!final) return;
          // Out of attempts: each page tries the person's next method at once (their rules' order).
          for (const x of [n, ...members]) {
            const next = await failoverTarget(tx, now, {
              incidentId: x.incident_id,
              level: x.level,
              pass: x.pass,
              restart: x.restart,
              userId: x.user_id!,
              methodId: x.contact_method_id!,
              key: x.idempotency_key,
            });
            if (next) await scheduleJob(tx, { kind: NOTIFY_SEND, key: notifyKey(next), runAt: now, payload: { notificationId: next }, maxAttempts: NOTIFY_MAX_ATTEMPTS, now });
          }
        });
        throw e;
      }
      await db.transaction().execute(async (tx) => {
        await setNotification(tx, id, clock.now(), { status: 'sent', lastError: null });
        await setBundle(tx, id, clock.now(), { status: 'sent', lastError: null });
      });
    },
  });
