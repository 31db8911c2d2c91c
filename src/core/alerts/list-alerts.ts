import { authorize, type Ctx } from '../shared/context.ts';
import { validationError } from '../shared/errors.ts';
import type { Alert, AlertStatus } from './alert.ts';
import { selectAlerts, toAlert } from './read-store.ts';
import type { Severity } from './signal.ts';

export interface AlertQuery {
  status?: AlertStatus[] | undefined;
  serviceId?: string | undefined;
  severity?: Severity[] | undefined;
  incidentId?: string | undefined;
  /** true: only suppressed alerts; false: only alerts that paged. */
  suppressed?: boolean | undefined;
  /** Created at or after / before. */
  since?: Date | undefined;
  until?: Date | undefined;
  /** The previous page's nextCursor. */
  cursor?: string | undefined;
  limit?: number | undefined;
}

const encodeCursor = (a: Alert) => Buffer.from(`${a.createdAt.toISOString()}|${a.id}`).toString('base64url');
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime())) throw validationError([{ field: 'query.cursor', reason: 'is not a cursor this API returned' }]);
  return { at: date, id };
}

/** Newest first, keyset-paged (a page costs the same at the millionth alert as at the first). */
export async function listAlerts(ctx: Ctx, query: AlertQuery): Promise<{ alerts: Alert[]; nextCursor: string | null }> {
  authorize(ctx.actor, 'read');
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  let q = selectAlerts(ctx.db).orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(limit + 1);
  if (query.status?.length) q = q.where('a.status', 'in', query.status);
  if (query.severity?.length) q = q.where('a.severity', 'in', query.severity);
  if (query.serviceId) q = q.where('a.service_id', '=', query.serviceId);
  if (query.incidentId) q = q.where('a.incident_id', '=', query.incidentId);
  if (query.suppressed !== undefined) q = q.where('a.suppressed_by', query.suppressed ? 'is not' : 'is', null);
  if (query.since) q = q.where('a.created_at', '>=', query.since);
  if (query.until) q = q.where('a.created_at', '<', query.until);
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    q = q.where((eb) => eb.or([eb('a.created_at', '<', c.at), eb.and([eb('a.created_at', '=', c.at), eb('a.id', '<', c.id)])]));
  }
  const rows = (await q.execute()).map(toAlert);
  const page = rows.slice(0, limit);
  return { alerts: page, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
}
