import type { Clock } from '../shared/clock.ts';
import type { Tx } from '../shared/context.ts';
import { linkSecret } from './secret.ts';
import { type LinkAction, signLink } from './token.ts';

/** How long a page's links work unless configured (VIGIL_ACTION_LINK_TTL_HOURS). */
export const DEFAULT_LINK_TTL_HOURS = 24;

/** The one-click links of one page, and when they stop working. */
export interface PageLinks {
  acknowledge: string;
  resolve: string;
  expiresAt: Date;
}

/** The public address of a token: short, so it fits a text message. */
export const actionLinkUrl = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/+$/, '')}/a/${token}`;

/**
 * Signs an acknowledge and a resolve link for the page `notificationId` sent to `userId`, valid
 * `ttlHours` from now. `db` is the database itself (not a transaction): the secret is cached on it.
 */
export async function pageLinks(
  db: Tx,
  clock: Clock,
  options: { publicUrl: string; ttlHours?: number | undefined },
  page: { incidentId: string; userId: string; notificationId: string },
): Promise<PageLinks> {
  const secret = await linkSecret(db, clock);
  const ttlMs = (options.ttlHours ?? DEFAULT_LINK_TTL_HOURS) * 3_600_000;
  // Whole seconds, as the token stores them, so the page states exactly the token's expiry.
  const expiresAt = new Date(Math.floor((clock.now().getTime() + ttlMs) / 1000) * 1000);
  const link = (action: LinkAction) => actionLinkUrl(options.publicUrl, signLink(secret, { ...page, action, expiresAt }));
  return { acknowledge: link('acknowledge'), resolve: link('resolve'), expiresAt };
}
