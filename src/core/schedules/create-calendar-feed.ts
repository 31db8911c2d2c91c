import { writeAudit } from '../shared/audit.ts';
import { actorUserId, authorize, type Ctx } from '../shared/context.ts';
import { DomainError, forbidden, notFound } from '../shared/errors.ts';
import { hashSecret, randomString } from '../shared/secrets.ts';
import { type CalendarFeedView, FEED_TOKEN_DISPLAY_CHARS, FEED_TOKEN_LENGTH, FEED_TOKEN_PREFIX, MAX_FEEDS_PER_USER, toFeedView } from './calendar-feed.ts';
import { findSchedule, insertCalendarFeed, listCalendarFeedsOfUser } from './store.ts';

/**
 * A calendar feed for the acting person: of one schedule (`scheduleId`), or of their own shifts
 * across schedules (null). Reading is enough: the feed shows what its owner may already read. The
 * token is returned once; only its hash is kept.
 */
export async function createCalendarFeed(ctx: Ctx, scheduleId: string | null): Promise<{ feed: CalendarFeedView; token: string }> {
  authorize(ctx.actor, 'read');
  const userId = actorUserId(ctx.actor);
  if (!userId) throw forbidden('Only a person can own a calendar feed.');
  const token = FEED_TOKEN_PREFIX + randomString(FEED_TOKEN_LENGTH);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const schedule = scheduleId === null ? null : await findSchedule(tx, scheduleId);
    if (scheduleId !== null && !schedule) throw notFound('schedule', scheduleId);
    if ((await listCalendarFeedsOfUser(tx, userId)).length >= MAX_FEEDS_PER_USER) {
      throw new DomainError('LIMIT_EXCEEDED', `You have ${MAX_FEEDS_PER_USER} calendar feeds already; revoke one you no longer use.`, { limit: MAX_FEEDS_PER_USER });
    }
    const row = await insertCalendarFeed(tx, { userId, scheduleId, tokenHash: hashSecret(token), tokenPrefix: token.slice(0, FEED_TOKEN_DISPLAY_CHARS), now });
    await writeAudit(tx, ctx, { action: 'calendar_feed.create', entityType: 'calendar_feed', entityId: row.id, data: { scheduleId, kind: scheduleId === null ? 'user' : 'schedule' } });
    return { feed: toFeedView(row, schedule?.name ?? null), token };
  });
}
