import { authorize, type Ctx } from '../shared/context.ts';
import type { Incident, IncidentStatus } from './incident.ts';
import { selectIncidents, toIncident } from './store.ts';

export interface IncidentQuery {
  status?: IncidentStatus[] | undefined;
  serviceId?: string | undefined;
  /** Incidents numbered below this (the previous page's nextCursor). */
  before?: number | undefined;
  limit?: number | undefined;
  /** Created at or after this instant. */
  createdFrom?: Date | undefined;
  /** Created before this instant. */
  createdBefore?: Date | undefined;
}

/** Newest first, paged by number. */
export async function listIncidents(ctx: Ctx, query: IncidentQuery): Promise<{ incidents: Incident[]; nextCursor: number | null }> {
  authorize(ctx.actor, 'read');
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  let q = selectIncidents(ctx.db).orderBy('i.number', 'desc').limit(limit + 1);
  if (query.status?.length) q = q.where('i.status', 'in', query.status);
  if (query.serviceId) q = q.where('i.service_id', '=', query.serviceId);
  if (query.createdFrom) q = q.where('i.created_at', '>=', query.createdFrom);
  if (query.createdBefore) q = q.where('i.created_at', '<', query.createdBefore);
  if (query.before !== undefined) q = q.where('i.number', '<', query.before as never);
  const rows = (await q.execute()).map(toIncident);
  const page = rows.slice(0, limit);
  return { incidents: page, nextCursor: rows.length > limit ? page[page.length - 1]!.number : null };
}
