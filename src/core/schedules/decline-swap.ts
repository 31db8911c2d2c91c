import { writeAudit } from '../shared/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { authorizeParty } from './party.ts';
import { decideSwap, lockSchedule, lockSwap } from './store.ts';
import { noticeSwap } from './swap-notices.ts';
import { type SwapView, swapViews } from './views.ts';

/** The recipient (or an admin) declines; nothing else changes. */
export async function declineSwap(ctx: Ctx, scheduleId: string, swapId: string): Promise<SwapView> {
  return ctx.db.transaction().execute(async (tx) => {
    const record = await lockSchedule(tx, scheduleId);
    if (!record) throw notFound('schedule', scheduleId);
    const swap = await lockSwap(tx, scheduleId, swapId);
    if (!swap) throw notFound('swap', swapId);
    authorizeParty(ctx.actor, [swap.recipientId], 'the person asked to take the shift');
    if (swap.status !== 'requested') throw new DomainError('PRECONDITION_FAILED', `This swap is already ${swap.status}.`, { status: swap.status });
    const decided = await decideSwap(tx, swapId, 'declined', null, ctx.clock.now());
    await writeAudit(tx, ctx, { action: 'schedule.swap.decline', entityType: 'schedule', entityId: scheduleId, data: { swapId } });
    const view = (await swapViews(tx, [decided]))[0]!;
    await noticeSwap(tx, view, record.name, 'declined', ctx.clock.now());
    return view;
  });
}
