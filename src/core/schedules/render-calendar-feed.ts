import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError } from '../shared/errors.ts';
import { hashSecret } from '../shared/secrets.ts';
import { feedWindow, isWellFormedFeedToken } from './calendar-feed.ts';
import { scheduleCalendar, userCalendar } from './ical.ts';
import { loadSchedule, loadSchedules } from './load-schedule.ts';
import { finalSchedule } from './schedule-math.ts';
import { findLiveCalendarFeedByHash, listSchedules, userRefs } from './store.ts';

/** The same answer for a token that never existed and one revoked: nothing tells them apart. */
const noFeed = () => new DomainError('NOT_FOUND', 'There is no calendar feed at this address.');

/**
 * The iCalendar text of the feed behind `token` (public: the token is the credential). The window
 * is `feedWindow(now)`; the shifts are `finalSchedule`'s, exactly those the API answers.
 */
export async function renderCalendarFeed(
  deps: { db: Kysely<DB>; clock: Clock },
  token: string,
  options: { productId: string; feedUrl?: string | undefined },
): Promise<string> {
  if (!isWellFormedFeedToken(token)) throw noFeed();
  const feed = await findLiveCalendarFeedByHash(deps.db, hashSecret(token));
  if (!feed) throw noFeed();
  const now = deps.clock.now();
  const { from, to } = feedWindow(now);
  const common = { productId: options.productId, now, ...(options.feedUrl !== undefined ? { feedUrl: options.feedUrl } : {}) };

  if (feed.schedule_id !== null) {
    const { record, schedule } = await loadSchedule(deps.db, feed.schedule_id, from, to).catch((e: unknown) => {
      throw e instanceof DomainError && e.code === 'NOT_FOUND' ? noFeed() : e;
    });
    const { shifts } = finalSchedule(schedule, from, to);
    const names = await userRefs(deps.db, shifts.map((s) => s.userId));
    return scheduleCalendar({
      ...common,
      id: record.id,
      name: record.name,
      timeZone: record.timeZone,
      shifts,
      layers: record.layers,
      users: [...names.values()],
    });
  }

  const records = await listSchedules(deps.db);
  const schedules = await loadSchedules(deps.db, records, from, to);
  return userCalendar({
    ...common,
    user: { id: feed.user_id, name: feed.user_name },
    schedules: records.map((r) => ({ id: r.id, name: r.name, timeZone: r.timeZone, shifts: finalSchedule(schedules.get(r.id)!, from, to).shifts, layers: r.layers })),
  });
}
