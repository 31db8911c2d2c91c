import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import type { ChangeSignal, Link } from './signal.ts';
import { findKeys } from './store.ts';

export interface ChangeEvent {
  id: string;
  serviceId: string;
  serviceName: string;
  summary: string;
  source: string | null;
  happenedAt: Date;
  receivedAt: Date;
  details: Record<string, unknown>;
  links: Link[];
}

/**
 * Stores a change event (a deploy, a config change) sent with a service's integration key. Changes
 * never page; incidents show the service's recent ones. Returns null for an unknown key.
 */
export async function recordChange(db: Kysely<DB>, clock: Clock, key: string, change: ChangeSignal): Promise<{ id: string } | null> {
  return db.transaction().execute(async (tx) => {
    const target = (await findKeys(tx, [key])).get(key);
    if (!target) return null;
    const now = clock.now();
    return tx
      .insertInto('change_events')
      .values({
        service_id: target.serviceId,
        summary: change.summary,
        source: change.source,
        happened_at: change.timestamp ?? now,
        received_at: now,
        details: JSON.stringify(change.details),
        links: JSON.stringify(change.links),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  });
}

export interface ChangeQuery {
  serviceId?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  limit?: number | undefined;
}

/** Newest first. */
export async function listChangeEvents(ctx: Ctx, query: ChangeQuery): Promise<ChangeEvent[]> {
  authorize(ctx.actor, 'read');
  return findChangeEvents(ctx.db, query);
}

export async function findChangeEvents(db: Kysely<DB>, query: ChangeQuery): Promise<ChangeEvent[]> {
  let q = db
    .selectFrom('change_events as c')
    .innerJoin('services as s', 's.id', 'c.service_id')
    .selectAll('c')
    .select('s.name as service_name')
    .orderBy('c.happened_at', 'desc')
    .limit(Math.min(Math.max(query.limit ?? 50, 1), 200));
  if (query.serviceId) q = q.where('c.service_id', '=', query.serviceId);
  if (query.since) q = q.where('c.happened_at', '>=', query.since);
  if (query.until) q = q.where('c.happened_at', '<=', query.until);
  return (await q.execute()).map((r) => ({
    id: r.id,
    serviceId: r.service_id,
    serviceName: r.service_name,
    summary: r.summary,
    source: r.source,
    happenedAt: r.happened_at,
    receivedAt: r.received_at,
    details: r.details,
    links: r.links,
  }));
}
