import { writeAudit } from '../shared/audit.ts';
import { actorUserId, type Ctx } from '../shared/context.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { authorizeParty } from './party.ts';
import { decideSwap, insertOverride, lockSchedule, lockSwap } from './store.ts';
import { noticeSwap } from './swap-notices.ts';
import { type SwapView, swapViews } from './views.ts';

/**
 * The recipient (or an admin) accepts: in the same transaction an override puts the recipient on
 * call instead of the requester over the range, and the swap records it.
 */
export async function acceptSwap(ctx: Ctx, scheduleId: string, swapId: string): Promise<SwapView> {
  return ctx.db.transaction().execute(async (tx) => {
    const record = await lockSchedule(tx, scheduleId);
    if (!record) throw notFound('schedule', scheduleId);
    const swap = await lockSwap(tx, scheduleId, swapId);
    if (!swap) throw notFound('swap', swapId);
    authorizeParty(ctx.actor, [swap.recipientId], 'the person asked to take the shift');
    const now = ctx.clock.now();
    if (swap.status !== 'requested') throw new DomainError('PRECONDITION_FAILED', `This swap is already ${swap.status}.`, { status: swap.status });
    if (swap.end <= now) throw new DomainError('PRECONDITION_FAILED', 'This swap is for time that has passed.', { end: swap.end.toISOString() });
    const override = await insertOverride(tx, {
      scheduleId,
      userId: swap.recipientId,
      replacesUserId: swap.requesterId,
      start: swap.start,
      end: swap.end,
      note: `Shift swap ${swap.id}`,
      createdBy: actorUserId(ctx.actor),
      now,
    });
    const decided = await decideSwap(tx, swapId, 'accepted', override.id, now);
    await writeAudit(tx, ctx, { action: 'schedule.swap.accept', entityType: 'schedule', entityId: scheduleId, data: { swapId, overrideId: override.id } });
    const view = (await swapViews(tx, [decided]))[0]!;
    await noticeSwap(tx, view, record.name, 'accepted', ctx.clock.now());
    return view;
  });
}
