import { queueNotice } from '../notices/index.ts';
import type { Tx } from '../shared/context.ts';
import type { SwapView } from './views.ts';

type SwapEvent = 'requested' | 'accepted' | 'declined' | 'cancelled';

/**
 * Who hears of a swap, in the transaction that changes it: the recipient of a request or a
 * withdrawal, the requester of a decline, and both of an acceptance (it is now an override).
 * Times are ISO instants: the person's own zone is the notice channel's job in a later version.
 */
export async function noticeSwap(tx: Tx, swap: SwapView, scheduleName: string, event: SwapEvent, now: Date): Promise<void> {
  const range = `${swap.start.toISOString()} to ${swap.end.toISOString()}`;
  const lines: Record<SwapEvent, { to: string[]; text: string }> = {
    requested: { to: [swap.recipient.id], text: `${swap.requester.name} asks you to take their on-call time on ${scheduleName} from ${range}.${swap.note ? ` Note: ${swap.note}` : ''}` },
    accepted: { to: [swap.requester.id, swap.recipient.id], text: `${swap.recipient.name} takes ${swap.requester.name}'s on-call time on ${scheduleName} from ${range}: the override is in place.` },
    declined: { to: [swap.requester.id], text: `${swap.recipient.name} declined to take your on-call time on ${scheduleName} from ${range}: you are still on call.` },
    cancelled: { to: [swap.recipient.id], text: `${swap.requester.name} withdrew the swap of on-call time on ${scheduleName} from ${range}.` },
  };
  const { to, text } = lines[event];
  for (const userId of to) {
    await queueNotice(
      tx,
      {
        userId,
        key: `swap:${swap.id}:${event}:${userId}`,
        kind: 'swap',
        subject: `[Vigil] Shift swap ${event}: ${scheduleName}`,
        text,
        data: { event, swap: { id: swap.id, scheduleId: swap.scheduleId, requester: swap.requester, recipient: swap.recipient, start: swap.start.toISOString(), end: swap.end.toISOString() } },
      },
      now,
    );
  }
}
