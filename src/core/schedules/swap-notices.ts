import { DateTime } from 'luxon';
import { queueNotice } from '../notices/index.ts';
import type { Tx } from '../shared/context.ts';
import type { SwapView } from './views.ts';

type SwapEvent = 'requested' | 'accepted' | 'declined' | 'cancelled';

/**
 * Who hears of a swap, in the transaction that changes it: the recipient of a request or a
 * withdrawal, the requester of a decline, and both of an acceptance (it is now an override). Each
 * reads the times in their own time zone.
 */
export async function noticeSwap(tx: Tx, swap: SwapView, scheduleName: string, event: SwapEvent, now: Date): Promise<void> {
  const zones = new Map((await tx.selectFrom('users').select(['id', 'time_zone']).where('id', 'in', [swap.requester.id, swap.recipient.id]).execute()).map((u) => [u.id, u.time_zone]));
  for (const userId of recipients(event, swap)) {
    const when = (d: Date) => DateTime.fromJSDate(d, { zone: zones.get(userId) ?? 'UTC' }).toFormat('ccc d LLL HH:mm ZZZZ');
    const text = describe(event, swap, scheduleName, `${when(swap.start)} to ${when(swap.end)}`);
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

const recipients = (event: SwapEvent, swap: SwapView): string[] =>
  event === 'accepted' ? [swap.requester.id, swap.recipient.id] : event === 'declined' ? [swap.requester.id] : [swap.recipient.id];

function describe(event: SwapEvent, swap: SwapView, scheduleName: string, range: string): string {
  const lines: Record<SwapEvent, string> = {
    requested: `${swap.requester.name} asks you to take their on-call time on ${scheduleName} from ${range}.${swap.note ? ` Note: ${swap.note}` : ''}`,
    accepted: `${swap.recipient.name} takes ${swap.requester.name}'s on-call time on ${scheduleName} from ${range}: the override is in place.`,
    declined: `${swap.recipient.name} declined to take your on-call time on ${scheduleName} from ${range}: you are still on call.`,
    cancelled: `${swap.requester.name} withdrew the swap of on-call time on ${scheduleName} from ${range}.`,
  };
  return lines[event];
}
