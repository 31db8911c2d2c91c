import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { Alert, AlertEvent } from './alert.ts';
import { findAlertByIdOrNumber, findAlertLog } from './read-store.ts';

const LOG_LIMIT = 500;

/** One alert by id or number, with its log (the newest 500 entries; `eventCount` says how many in all). */
export async function getAlert(ctx: Ctx, ref: string): Promise<{ alert: Alert; events: AlertEvent[]; eventCount: number }> {
  authorize(ctx.actor, 'read');
  const alert = await findAlertByIdOrNumber(ctx.db, parseAlertRef(ref));
  if (!alert) throw notFound('alert', ref);
  const log = await findAlertLog(ctx.db, alert.id, LOG_LIMIT);
  return { alert, events: log.events, eventCount: log.total };
}

/** "42" or "#42" is an alert number; anything else must be its id. */
export function parseAlertRef(ref: string): { id: string } | { number: number } {
  const m = /^#?(\d{1,15})$/.exec(ref);
  if (m) return { number: Number(m[1]) };
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref)) return { id: ref.toLowerCase() };
  throw notFound('alert', ref);
}
