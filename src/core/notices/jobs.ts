import { type Channels, reachableMethods } from '../contacts/index.ts';
import { defineFamily, type Job } from '../../engine/index.ts';
import { NOTICE_SEND } from './queue-notice.ts';

/**
 * `notices.send`: sends a queued notice through the methods of the person's low-urgency rules
 * (a notice is never urgent), then marks it sent; with no such method it is marked skipped. A send
 * that fails is retried (the engine's backoff), to every method again: each delivery carries the
 * notice's id as `Idempotency-Key` so a receiver can drop a repeat.
 */
export const noticeJobs = (channels: Channels) =>
  defineFamily('notices', 1, {
    [NOTICE_SEND]: async (job: Job<{ noticeId: string }>, { db, clock }) => {
      const notice = await db.selectFrom('notices').selectAll().where('id', '=', job.payload.noticeId).executeTakeFirst();
      if (!notice || notice.status !== 'queued') return;
      const methods = await reachableMethods(db, notice.user_id, 'low');
      if (methods.length === 0) {
        await db.updateTable('notices').set({ status: 'skipped', last_error: 'no low-urgency notification rule on a verified contact method' }).where('id', '=', notice.id).execute();
        return;
      }
      const body = notice.body as Record<string, unknown> & { type: string; message: string };
      try {
        for (const m of methods) {
          await channels[m.type](m.address, { subject: notice.subject, text: notice.text, body, headers: { 'Idempotency-Key': `notice:${notice.id}:${m.id}` } });
        }
      } catch (e) {
        if (job.attempt >= job.maxAttempts) {
          await db.updateTable('notices').set({ status: 'failed', last_error: (e instanceof Error ? e.message : String(e)).slice(0, 2000) }).where('id', '=', notice.id).execute();
        }
        throw e;
      }
      await db.updateTable('notices').set({ status: 'sent', sent_at: clock.now(), last_error: null }).where('id', '=', notice.id).execute();
    },
  });
