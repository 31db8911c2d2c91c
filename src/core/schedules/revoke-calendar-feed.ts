import { writeAudit } from '../shared/audit.ts';
import { actorUserId, authorize, can, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { lockCalendarFeed, revokeCalendarFeedRow } from './store.ts';

/**
 * Revokes a calendar feed at once: its URL answers 404 from now on. Its owner may revoke it, and an
 * admin may revoke anyone's; to everyone else it does not exist (NOT_FOUND, as for a revoked one).
 */
export async function revokeCalendarFeed(ctx: Ctx, feedId: string): Promise<void> {
  authorize(ctx.actor, 'read');
  const userId = actorUserId(ctx.actor);
  await ctx.db.transaction().execute(async (tx) => {
    const feed = await lockCalendarFeed(tx, feedId);
    if (!feed || feed.revoked_at !== null || (feed.user_id !== userId && !can(ctx.actor, 'admin'))) throw notFound('calendar feed', feedId);
    await revokeCalendarFeedRow(tx, feedId, ctx.clock.now());
    await writeAudit(tx, ctx, { action: 'calendar_feed.revoke', entityType: 'calendar_feed', entityId: feedId, data: { ownerId: feed.user_id, scheduleId: feed.schedule_id } });
  });
}
