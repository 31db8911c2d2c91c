import { scheduleJob } from '../../engine/index.ts';
import type { Tx } from '../shared/context.ts';

export const NOTICE_SEND = 'notices.send';

export interface NewNotice {
  userId: string;
  /** Unique per notice ever sent (`handoff:<schedule>:<user>:<start>`): the same notice is queued once. */
  key: string;
  kind: 'handoff' | 'swap';
  subject: string;
  text: string;
  /** The webhook body besides `type` and `message`. */
  data: Record<string, unknown>;
}

/**
 * Queues a notice in the caller's transaction and schedules its send. A key already queued or
 * sent queues nothing (returns false), so a retried producer never notifies twice.
 */
export async function queueNotice(tx: Tx, notice: NewNotice, now: Date): Promise<boolean> {
  const row = await tx
    .insertInto('notices')
    .values({
      user_id: notice.userId,
      key: notice.key,
      kind: notice.kind,
      subject: notice.subject,
      text: notice.text,
      body: JSON.stringify({ type: `vigil.${notice.kind}`, ...notice.data, message: notice.text }),
      status: 'queued',
      created_at: now,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!row) return false;
  await scheduleJob(tx, { kind: NOTICE_SEND, key: `notice:${row.id}`, keyMode: 'dedupe', runAt: now, payload: { noticeId: row.id }, maxAttempts: 5, now });
  return true;
}
