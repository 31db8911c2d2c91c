import { writeAudit } from '../shared/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { authorizeParty } from './party.ts';
import { decideSwap, lockSchedule, lockSwap } from './store.ts';
import { noticeSwap } from './swap-notices.ts';
import { type SwapView, swapViews } from './views.ts';

/** The requester (or an admin) withdraws the request; nothing else changes. */
export async function cancelSwap(ctx: Ctx, scheduleId: string, swapId: string): Promise<SwapView> {
  return ctx.db.transaction().execute(async (tx) => {
    const record = await lockSchedule(tx, scheduleId);
    if (!record) throw notFound('schedule', scheduleId);
    const swap = await lockSwap(tx, scheduleId, swapId);
    if (!swap) throw notFound('swap', swapId);
    authorizeParty(ctx.actor, [swap.requesterId], 'the person who asked');
    if (swap.status !== 'requested') throw new DomainError('PRECONDITION_FAILED', `This swap is already ${swap.status}.`, { status: swap.status });
    const decided = await decideSwap(tx, swapId, 'cancelled', null, ctx.clock.now());
    await writeAudit(tx, ctx, { action: 'schedule.swap.cancel', entityType: 'schedule', entityId: scheduleId, data: { swapId } });
    const view = (await swapViews(tx, [decided]))[0]!;
    await noticeSwap(tx, view, record.name, 'cancelled', ctx.clock.now());
    return view;
  });
}
