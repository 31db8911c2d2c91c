import { sql } from 'kysely';
import type { Tx } from '../shared/context.ts';

export interface Stalled {
  incidentId: string;
  number: number;
  reason: 'no pending escalation step' | 'page neither sent nor pending';
}

/**
 * The auditor's question: is any page silently stuck? An escalation still running on a triggered
 * incident must have its `escalation.due` job pending, and a queued or sending notification its
 * `notify.send` job (or, carried in another page's message, that page's); one that has neither (a job given up after its attempts, a row written by
 * hand) would page nobody and say nothing. Peers learnt this the hard way (Grafana OnCall added an
 * escalation auditor after escalations stalled across restarts). Two index reads, no locks.
 */
export async function findStalled(tx: Tx): Promise<Stalled[]> {
  const { rows } = await sql<Stalled>`
    select i.id as "incidentId", i.number, 'no pending escalation step' as reason
    from escalations e join incidents i on i.id = e.incident_id
    where e.stopped_at is null and i.status = 'triggered'
      and not exists (select 1 from jobs j where j.key = 'escalation:' || e.incident_id::text and j.failed_at is null)
    union all
    select distinct i.id, i.number, 'page neither sent nor pending'
    from notifications n join incidents i on i.id = n.incident_id
    where n.status in ('queued', 'sending')
      and not exists (select 1 from jobs j where j.key = 'notify:' || coalesce(n.bundled_into, n.id)::text and j.failed_at is null)
    order by 2`.execute(tx);
  return rows;
}
