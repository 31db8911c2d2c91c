import type { Ctx } from '../shared/context.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { authorizeOwn } from './access.ts';
import { RESEND_AFTER_MS } from './contact.ts';
import { scheduleCode } from './send-code.ts';
import { lockMethod } from './store.ts';

/** Sends an unverified method a new code (the old one stops working), at most once a minute. */
export async function sendContactCode(ctx: Ctx, userId: string, methodId: string): Promise<void> {
  authorizeOwn(ctx, userId, true);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const m = await lockMethod(tx, userId, methodId);
    if (!m) throw notFound('contact method', methodId);
    if (m.verified_at) throw new DomainError('PRECONDITION_FAILED', 'This contact method is verified already.');
    if (m.code_sent_at && now.getTime() - m.code_sent_at.getTime() < RESEND_AFTER_MS) {
      throw new DomainError('RATE_LIMITED', `A code was sent less than ${RESEND_AFTER_MS / 1000} seconds ago; wait a moment before asking for another.`);
    }
    await scheduleCode(tx, m.id, now);
  });
}
