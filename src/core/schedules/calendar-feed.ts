import { DAY_MS } from './records.ts';

/**
 * Calendar feeds (rules, pure): the token's shape, the window a feed shows, and the view the API
 * answers. The token in the feed's URL is the only credential a calendar client can send, so it
 * is random, shown once, and stored as a SHA-256 like an API token (docs/adr/0005).
 */

/** Recognisable in logs and by secret scanners; the rest is 40 random [a-z0-9] (~206 bits). */
export const FEED_TOKEN_PREFIX = 'vcf_';
export const FEED_TOKEN_LENGTH = 40;
export const FEED_TOKEN_DISPLAY_CHARS = 12;
export const FEED_DAYS_BACK = 7;
export const FEED_DAYS_AHEAD = 90;
/** At most this many live feeds per user: each is a credential to keep track of. */
export const MAX_FEEDS_PER_USER = 50;

const TOKEN = new RegExp(`^${FEED_TOKEN_PREFIX}[a-z0-9]{${FEED_TOKEN_LENGTH}}$`);

export const isWellFormedFeedToken = (token: string): boolean => TOKEN.test(token);

/**
 * What a feed shows when fetched at `now`: from the start of the UTC day 7 days back to the end of
 * the 90th day ahead. Starting at a day boundary keeps a shift cut by the window's start at the
 * same start (so the same UID) for a whole day of refreshes.
 */
export function feedWindow(now: Date): { from: Date; to: Date } {
  const day = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return { from: new Date(day - FEED_DAYS_BACK * DAY_MS), to: new Date(day + (FEED_DAYS_AHEAD + 1) * DAY_MS) };
}

export interface CalendarFeedView {
  id: string;
  /** `schedule`: every shift of one schedule; `user`: the owner's own shifts across schedules. */
  kind: 'schedule' | 'user';
  schedule: { id: string; name: string } | null;
  userId: string;
  /** The first characters of the token, to tell feeds apart; the token itself is shown once. */
  tokenPreview: string;
  createdAt: Date;
}

export function toFeedView(row: { id: string; user_id: string; schedule_id: string | null; token_prefix: string; created_at: Date }, scheduleName: string | null): CalendarFeedView {
  return {
    id: row.id,
    kind: row.schedule_id === null ? 'user' : 'schedule',
    schedule: row.schedule_id === null ? null : { id: row.schedule_id, name: scheduleName ?? row.schedule_id },
    userId: row.user_id,
    tokenPreview: `${row.token_prefix}…`,
    createdAt: row.created_at,
  };
}
