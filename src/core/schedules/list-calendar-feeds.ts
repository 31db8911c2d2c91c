import { actorUserId, authorize, type Ctx } from '../shared/context.ts';
import { forbidden } from '../shared/errors.ts';
import { type CalendarFeedView, toFeedView } from './calendar-feed.ts';
import { listCalendarFeedsOfUser } from './store.ts';

/** The acting person's live calendar feeds, newest first; tokens only as previews. */
export async function listCalendarFeeds(ctx: Ctx): Promise<CalendarFeedView[]> {
  authorize(ctx.actor, 'read');
  const userId = actorUserId(ctx.actor);
  if (!userId) throw forbidden('Only a person can own a calendar feed.');
  return (await listCalendarFeedsOfUser(ctx.db, userId)).map((r) => toFeedView(r, r.schedule_name));
}
