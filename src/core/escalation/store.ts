import { sql } from 'kysely';
import type { Tx } from '../shared/context.ts';
import { recordset } from '../shared/recordset.ts';
import type { EscalationStepLog } from '../../storage/schema.ts';
import type { Level, Policy, TargetType } from './policy.ts';

const POLICY_COLUMNS = ['id', 'name', 'description', 'team_id', 'repeat', 'ack_timeout_minutes', 'levels', 'version', 'created_at', 'updated_at'] as const;

type PolicyRow = {
  id: string;
  name: string;
  description: string;
  team_id: string | null;
  repeat: number;
  ack_timeout_minutes: number | null;
  levels: unknown[];
  version: number;
  created_at: Date;
  updated_at: Date;
};

const toPolicy = (r: PolicyRow): Policy => ({
  id: r.id,
  name: r.name,
  description: r.description,
  teamId: r.team_id,
  repeat: r.repeat,
  ackTimeoutMinutes: r.ack_timeout_minutes,
  levels: r.levels as Level[],
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const findPolicy = async (tx: Tx, id: string): Promise<Policy | undefined> => {
  const row = await tx.selectFrom('escalation_policies').select(POLICY_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toPolicy(row);
};

/** The policy row, locked until the transaction ends, so concurrent edits serialise. */
export const lockPolicy = async (tx: Tx, id: string): Promise<Policy | undefined> => {
  const row = await tx.selectFrom('escalation_policies').select(POLICY_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toPolicy(row);
};

/** The policy row, share-locked: it cannot be deleted or changed until the transaction ends. */
export const sharePolicy = async (tx: Tx, id: string): Promise<Policy | undefined> => {
  const row = await tx.selectFrom('escalation_policies').select(POLICY_COLUMNS).where('id', '=', id).forShare().executeTakeFirst();
  return row && toPolicy(row);
};

export const listPolicies = async (tx: Tx): Promise<Policy[]> =>
  (await tx.selectFrom('escalation_policies').select(POLICY_COLUMNS).orderBy(sql`lower(name)`).orderBy('id').execute()).map(toPolicy);

export const findPolicyIdByName = (tx: Tx, name: string, exceptId?: string) => {
  let q = tx.selectFrom('escalation_policies').select('id').where(sql<string>`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.executeTakeFirst();
};

export const insertPolicy = (tx: Tx, row: { name: string; description: string; teamId: string | null; repeat: number; ackTimeoutMinutes: number | null; levels: Level[]; now: Date }) =>
  tx
    .insertInto('escalation_policies')
    .values({
      name: row.name,
      description: row.description,
      team_id: row.teamId,
      repeat: row.repeat,
      ack_timeout_minutes: row.ackTimeoutMinutes,
      levels: JSON.stringify(row.levels),
      created_at: row.now,
      updated_at: row.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

/** Writes the fields given and counts the edit in `version`. */
export const updatePolicy = (
  tx: Tx,
  id: string,
  set: { name?: string; description?: string; team_id?: string | null; repeat?: number; ack_timeout_minutes?: number | null; levels?: Level[] },
  now: Date,
) => {
  const { levels, ...rest } = set;
  return tx
    .updateTable('escalation_policies')
    .set({ ...rest, ...(levels ? { levels: JSON.stringify(levels) } : {}), version: sql<number>`version + 1`, updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
};

export const deletePolicy = (tx: Tx, id: string) => tx.deleteFrom('escalation_policies').where('id', '=', id).executeTakeFirst();

/** The services paging through each of the policies, by name. */
export async function servicesUsing(tx: Tx, policyIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>(policyIds.map((id) => [id, []]));
  if (policyIds.length === 0) return out;
  const rows = await tx
    .selectFrom('services')
    .select(['id', 'name', 'escalation_policy_id'])
    .where('escalation_policy_id', 'in', policyIds)
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute();
  for (const r of rows) out.get(r.escalation_policy_id!)?.push({ id: r.id, name: r.name });
  return out;
}

/** A service's row, locked; its policy pointer is this domain's column. */
export const lockServicePolicy = (tx: Tx, serviceId: string) =>
  tx.selectFrom('services').select(['id', 'name', 'escalation_policy_id']).where('id', '=', serviceId).forUpdate().executeTakeFirst();

export const findServicePolicyId = (tx: Tx, serviceId: string) =>
  tx.selectFrom('services').select(['id', 'escalation_policy_id']).where('id', '=', serviceId).executeTakeFirst();

export const setServicePolicy = (tx: Tx, serviceId: string, policyId: string | null, now: Date) =>
  tx.updateTable('services').set({ escalation_policy_id: policyId, updated_at: now }).where('id', '=', serviceId).execute();

const TABLE = { user: 'users', schedule: 'schedules', team: 'teams' } as const;

/** The names of the users, schedules and teams among `ids`, by type then id (missing ones are absent). */
export async function targetNames(tx: Tx, ids: { type: TargetType; id: string }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // One after another: a transaction is one connection.
  for (const type of ['user', 'schedule', 'team'] as const) {
    const wanted = [...new Set(ids.filter((t) => t.type === type).map((t) => t.id))];
    if (wanted.length === 0) continue;
    const rows = await tx.selectFrom(TABLE[type]).select(['id', 'name']).where('id', 'in', wanted).execute();
    for (const r of rows) out.set(`${type}:${r.id}`, r.name);
  }
  return out;
}

// ---- Paging: escalations and the notification log ----


/**
 * Starts the escalation of each new incident whose service points at a policy, in one statement:
 * the snapshot (as `snapshotOf` takes it: the stored levels are already normalised) is built in
 * SQL from the policy row. Incidents that no longer exist (released again in the same batch) and
 * services without a policy get nothing. Returns the incident ids that started.
 */
export async function insertEscalations(tx: Tx, now: Date, incidents: readonly { id: string; serviceId: string }[]): Promise<string[]> {
  if (incidents.length === 0) return [];
  const { rows } = await sql<{ incident_id: string }>`
    insert into escalations (incident_id, policy, level, pass, cursors, next_run_at, created_at, updated_at)
    select i.id,
      jsonb_build_object('policyId', p.id, 'name', p.name, 'version', p.version, 'takenAt', ${now.toISOString()}::text,
        'repeat', p.repeat, 'ackTimeoutMinutes', p.ack_timeout_minutes, 'levels', p.levels),
      0, 0, '[]'::jsonb, ${now}, ${now}, ${now}
    from ${recordset(incidents.map((i) => ({ id: i.id, service_id: i.serviceId })))} as v(id uuid, service_id uuid)
    join incidents i on i.id = v.id
    join services s on s.id = v.service_id
    join escalation_policies p on p.id = s.escalation_policy_id
    on conflict (incident_id) do nothing
    returning incident_id`.execute(tx);
  return rows.map((r) => r.incident_id);
}

export type StopReason = 'acknowledged' | 'resolved' | 'completed' | 'paged nobody' | 'incident gone';

/**
 * Stops running escalations (acknowledge, resolve) in one statement: records why, deletes their
 * pending `escalation.due` jobs and cancels their queued notifications. Returns the incident ids
 * whose escalation was running.
 */
export async function stopEscalationRows(tx: Tx, now: Date, stops: readonly { incidentId: string; reason: StopReason }[]): Promise<string[]> {
  if (stops.length === 0) return [];
  const { rows } = await sql<{ incident_id: string }>`
    with v as (
      select * from ${recordset(stops.map((s) => ({ incident_id: s.incidentId, reason: s.reason })))} as v(incident_id uuid, reason text)
    ), stopped as (
      update escalations e set stopped_at = ${now}, stop_reason = v.reason, next_run_at = null, updated_at = ${now}
      from v where e.incident_id = v.incident_id and e.stopped_at is null
      returning e.incident_id
    ), jobs_gone as (
      delete from jobs where failed_at is null and key in (select 'escalation:' || incident_id::text from stopped)
    ), timeouts_gone as (
      delete from jobs where failed_at is null and locked_by is null
        and key in (select 'ack-timeout:' || incident_id::text from v where reason = 'resolved')
    ), cancelled as (
      update notifications n set status = 'cancelled', updated_at = ${now}
      from v where n.incident_id = v.incident_id and n.status = 'queued'
    )
    select incident_id from stopped`.execute(tx);
  return rows.map((r) => r.incident_id);
}

/**
 * The acknowledgement timeouts to arm for incidents just acknowledged: those whose escalation's
 * snapshot has `ackTimeoutMinutes` (running or ended: the acknowledgement is what times out), with
 * the acknowledgement's time.
 */
export async function findAckTimeouts(tx: Tx, incidentIds: readonly string[]) {
  if (incidentIds.length === 0) return [];
  const { rows } = await sql<{ incident_id: string; minutes: number; acknowledged_at: Date }>`
    select e.incident_id, (e.policy->>'ackTimeoutMinutes')::int as minutes, i.acknowledged_at
    from escalations e join incidents i on i.id = e.incident_id
    where e.incident_id in (${sql.join(incidentIds)}) and jsonb_typeof(e.policy->'ackTimeoutMinutes') = 'number'
      and i.status = 'acknowledged' and i.acknowledged_at is not null`.execute(tx);
  return rows;
}

/**
 * Starts an escalation again from its first level (`restarts` + 1, a fresh round-robin, the step log
 * says why), on `policy` when given (a reassignment) or its own snapshot; an incident without an
 * escalation gets one when a policy is given. Queued pages of the earlier run are cancelled and an
 * armed acknowledgement timeout is disarmed. Returns the new restart count, or null when there was
 * nothing to restart.
 */
export async function resetEscalation(tx: Tx, incidentId: string, now: Date, entry: EscalationStepLog, policy?: unknown): Promise<number | null> {
  await sql`
    with cancelled as (
      update notifications set status = 'cancelled', last_error = 'the escalation started again', updated_at = ${now}
      where incident_id = ${incidentId} and status = 'queued'
    )
    delete from jobs where key = ${`ack-timeout:${incidentId}`} and failed_at is null and locked_by is null`.execute(tx);
  const steps = JSON.stringify([entry]);
  const restart = sql`level = 0, pass = 0, cursors = '[]'::jsonb, restarts = escalations.restarts + 1, stopped_at = null,
    stop_reason = null, next_run_at = ${now}, steps = escalations.steps || ${steps}::jsonb, updated_at = ${now}`;
  const { rows } =
    policy === undefined
      ? await sql<{ restarts: number }>`update escalations set ${restart} where incident_id = ${incidentId} returning restarts`.execute(tx)
      : await sql<{ restarts: number }>`
          insert into escalations (incident_id, policy, level, pass, cursors, next_run_at, steps, created_at, updated_at)
          values (${incidentId}, ${JSON.stringify(policy)}::jsonb, 0, 0, '[]'::jsonb, ${now}, ${steps}::jsonb, ${now}, ${now})
          on conflict (incident_id) do update set policy = excluded.policy, ${restart}
          returning restarts`.execute(tx);
  return rows[0]?.restarts ?? null;
}

/** The incident, then its escalation, each locked (the acknowledge path locks in the same order). */
export async function lockEscalation(tx: Tx, incidentId: string) {
  const incident = await tx
    .selectFrom('incidents')
    .select(['id', 'number', 'status', 'urgency', 'title', 'service_id'])
    .where('id', '=', incidentId)
    .forUpdate()
    .executeTakeFirst();
  if (!incident) return null;
  const escalation = await tx
    .selectFrom('escalations')
    .select(['incident_id', 'policy', 'level', 'pass', 'restarts', 'cursors', 'next_run_at', 'stopped_at', 'stop_reason'])
    .where('incident_id', '=', incidentId)
    .forUpdate()
    .executeTakeFirst();
  return escalation ? { incident, escalation } : null;
}

/** Deletes an escalation's pending `escalation.due` job (not one that is running: it finds the escalation stopped). */
export const deletePendingStep = (tx: Tx, incidentId: string) =>
  tx.deleteFrom('jobs').where('key', '=', `escalation:${incidentId}`).where('failed_at', 'is', null).where('locked_by', 'is', null).execute();

/** An incident's id by id or number (null: no such incident). */
export async function findIncidentRef(tx: Tx, incident: { id: string } | { number: number }) {
  return ('id' in incident
    ? tx.selectFrom('incidents').select(['id', 'number']).where('id', '=', incident.id)
    : tx.selectFrom('incidents').select(['id', 'number']).where('number', '=', incident.number as never)
  ).executeTakeFirst();
}

/** Stores the state after a step (or ends the escalation) and appends the step to its log. */
export const saveEscalationState = (
  tx: Tx,
  incidentId: string,
  now: Date,
  logged: EscalationStepLog,
  next: { level: number; pass: number; cursors: number[]; runAt: Date } | { stopReason: StopReason },
) =>
  tx
    .updateTable('escalations')
    .set({
      ...('stopReason' in next
        ? { stopped_at: now, stop_reason: next.stopReason, next_run_at: null }
        : { level: next.level, pass: next.pass, cursors: JSON.stringify(next.cursors), next_run_at: next.runAt }),
      steps: sql<string>`steps || ${JSON.stringify([logged])}::jsonb`,
      updated_at: now,
    })
    .where('incident_id', '=', incidentId)
    .execute();

/** Each user's notification rules for `urgency` that point at a verified method, earliest first. */
export const findUsableRules = (tx: Tx, userIds: readonly string[], urgency: 'high' | 'low') =>
  userIds.length === 0
    ? Promise.resolve([])
    : tx
        .selectFrom('notification_rules as r')
        .innerJoin('contact_methods as m', 'm.id', 'r.contact_method_id')
        .select(['r.user_id', 'r.contact_method_id', 'r.delay_minutes'])
        .where('r.user_id', 'in', userIds)
        .where('r.urgency', '=', urgency)
        .where('m.verified_at', 'is not', null)
        .orderBy('r.user_id')
        .orderBy('r.delay_minutes')
        .orderBy('r.created_at')
        .execute();

export interface NewNotification {
  incidentId: string;
  level: number;
  pass: number;
  restart: number;
  userId: string;
  contactMethodId: string | null;
  delayMinutes: number | null;
  status: 'queued' | 'failed';
  lastError: string | null;
  idempotencyKey: string;
}

/** Inserts the rows whose idempotency key is new (one statement); returns only those. */
export async function insertNotifications(tx: Tx, now: Date, rows: readonly NewNotification[]) {
  if (rows.length === 0) return [];
  const values = rows.map((r, ord) => ({
    ord,
    incident_id: r.incidentId,
    level: r.level,
    pass: r.pass,
    restart: r.restart,
    user_id: r.userId,
    contact_method_id: r.contactMethodId,
    delay_minutes: r.delayMinutes,
    status: r.status,
    last_error: r.lastError,
    idempotency_key: r.idempotencyKey,
  }));
  const { rows: out } = await sql<{ id: string; status: string; delay_minutes: number | null }>`
    insert into notifications (incident_id, level, pass, restart, user_id, contact_method_id, delay_minutes, status, last_error, idempotency_key, created_at, updated_at)
    select v.incident_id, v.level, v.pass, v.restart, (select u.id from users u where u.id = v.user_id), v.contact_method_id, v.delay_minutes, v.status, v.last_error, v.idempotency_key, ${now}, ${now}
    from ${recordset(values)} as v(ord int, incident_id uuid, level int, pass int, restart int, user_id uuid, contact_method_id uuid, delay_minutes int,
      status text, last_error text, idempotency_key text)
    order by v.ord
    on conflict (idempotency_key) do nothing
    returning id, status, delay_minutes`.execute(tx);
  return out;
}

/** Notifications with what sending them needs (the incident, its service, the method). */
const sendable = (tx: Tx) =>
  tx
    .selectFrom('notifications as n')
    .innerJoin('incidents as i', 'i.id', 'n.incident_id')
    .innerJoin('services as s', 's.id', 'i.service_id')
    .leftJoin('contact_methods as m', 'm.id', 'n.contact_method_id')
    .select([
      'n.id',
      'n.status',
      'n.attempts',
      'n.idempotency_key',
      'n.level',
      'n.pass',
      'n.restart',
      'n.user_id',
      'i.id as incident_id',
      'i.number',
      'i.title',
      'i.urgency',
      'i.status as incident_status',
      's.id as service_id',
      's.name as service_name',
      's.runbook_url',
      'm.type',
      'm.address',
      'm.verified_at',
      'n.contact_method_id',
      'n.bundled_into',
    ]);

/** One notification with what sending it needs, locked. */
export const lockNotification = (tx: Tx, id: string) => sendable(tx).where('n.id', '=', id).forUpdate('n').executeTakeFirst();

export type SendableNotification = NonNullable<Awaited<ReturnType<typeof lockNotification>>>;

/** A notification's method and its type, unlocked (to lock the method before the notification). */
export const findNotificationMethod = (tx: Tx, id: string) =>
  tx
    .selectFrom('notifications as n')
    .innerJoin('contact_methods as m', 'm.id', 'n.contact_method_id')
    .select(['m.id', 'm.type'])
    .where('n.id', '=', id)
    .executeTakeFirst();

/** The contact method's row, locked: sends through one throttled method serialise on it. */
export const lockContactMethod = (tx: Tx, id: string) => tx.selectFrom('contact_methods').select('id').where('id', '=', id).forUpdate().executeTakeFirst();

/** When a page last went (or began to go) out through a method, other than `exceptId`. */
export async function lastSendThrough(tx: Tx, methodId: string, exceptId: string): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | null }>`
    select greatest(
      (select max(sent_at) from notifications where contact_method_id = ${methodId} and id <> ${exceptId}),
      (select max(updated_at) from notifications where contact_method_id = ${methodId} and id <> ${exceptId} and status = 'sending')
    ) as at`.execute(tx);
  return rows[0]?.at ?? null;
}

/**
 * Takes other pages through the same method into `leaderId`'s message: those already carried by it
 * (an earlier attempt) and queued ones whose own `notify.send` is due, for triggered incidents,
 * oldest first, up to `limit`, skipping rows another worker holds. They become `sending` with
 * `bundled_into`, and their own jobs are deleted: the leader's job now sends them.
 */
export async function claimBundle(tx: Tx, methodId: string, leaderId: string, now: Date, limit: number): Promise<SendableNotification[]> {
  if (limit <= 0) return [];
  const { rows } = await sql<{ id: string }>`
    with picked as (
      select n.id from notifications n join incidents i on i.id = n.incident_id
      where n.contact_method_id = ${methodId} and n.id <> ${leaderId} and i.status = 'triggered' and n.user_id is not null
        and ((n.bundled_into = ${leaderId} and n.status in ('queued', 'sending'))
          or (n.bundled_into is null and n.status = 'queued' and exists (
            select 1 from jobs j where j.key = 'notify:' || n.id::text and j.failed_at is null and j.run_at <= ${now})))
      order by n.created_at, n.id
      limit ${limit}
      for update of n skip locked
    ), jobs_gone as (
      delete from jobs where key in (select 'notify:' || id::text from picked) and locked_by is null and failed_at is null
    )
    update notifications n set status = 'sending', bundled_into = ${leaderId}, updated_at = ${now}
    from picked where n.id = picked.id
    returning n.id`.execute(tx);
  if (rows.length === 0) return [];
  return sendable(tx)
    .where('n.id', 'in', rows.map((r) => r.id))
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute();
}

/**
 * After a page failed for good, its person's next method at once: a page to them still queued for
 * this step on another method (a later rule) is moved to now; without one, their other verified
 * methods (rules of any urgency first, then the oldest) get a queued row keyed
 * `<failed key>:failover:<method>`, so at most once each. Returns the notification to send now,
 * or null when the person has no other verified method.
 */
export async function failoverTarget(
  tx: Tx,
  now: Date,
  failed: { incidentId: string; level: number; pass: number; restart: number; userId: string; methodId: string; key: string },
): Promise<string | null> {
  const step = sql`incident_id = ${failed.incidentId} and level = ${failed.level} and pass = ${failed.pass} and restart = ${failed.restart} and user_id = ${failed.userId}`;
  const queued = await sql<{ id: string }>`
    select id from notifications where ${step} and status = 'queued' and bundled_into is null and contact_method_id <> ${failed.methodId}
    order by delay_minutes nulls first, created_at limit 1`.execute(tx);
  if (queued.rows[0]) return queued.rows[0].id;
  const { rows } = await sql<{ id: string }>`
    insert into notifications (incident_id, level, pass, restart, user_id, contact_method_id, delay_minutes, status, last_error, idempotency_key, created_at, updated_at)
    select ${failed.incidentId}, ${failed.level}, ${failed.pass}, ${failed.restart}, ${failed.userId}, m.id, null, 'queued',
      'failover: the page through another method failed', ${failed.key} || ':failover:' || m.id::text, ${now}, ${now}
    from contact_methods m
    where m.user_id = ${failed.userId} and m.verified_at is not null and m.id <> ${failed.methodId}
      and not exists (select 1 from notifications o where o.incident_id = ${failed.incidentId} and o.level = ${failed.level} and o.pass = ${failed.pass}
        and o.restart = ${failed.restart} and o.user_id = ${failed.userId} and o.contact_method_id = m.id)
    order by (select min(r.delay_minutes) from notification_rules r where r.contact_method_id = m.id) nulls last, m.created_at, m.id
    limit 1
    on conflict (idempotency_key) do nothing
    returning id`.execute(tx);
  return rows[0]?.id ?? null;
}

/** The pages a leader carried go back on their own (the leader was cancelled): returns their ids. */
export async function releaseBundle(tx: Tx, leaderId: string, now: Date): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    update notifications set bundled_into = null, status = 'queued', updated_at = ${now}
    where bundled_into = ${leaderId} and status in ('queued', 'sending')
    returning id`.execute(tx);
  return rows.map((r) => r.id);
}

/** Every page a leader carries, set to the leader's outcome. */
export const setBundle = (tx: Tx, leaderId: string, now: Date, set: { status: 'sent' | 'failed' | 'queued'; lastError: string | null }) =>
  tx
    .updateTable('notifications')
    .set({ status: set.status, last_error: set.lastError, updated_at: now, ...(set.status === 'sent' ? { sent_at: now } : {}) })
    .where('bundled_into', '=', leaderId)
    .where('status', 'in', ['queued', 'sending'])
    .execute();

export const setNotification = (
  tx: Tx,
  id: string,
  now: Date,
  set: { status: 'sending' | 'sent' | 'failed' | 'cancelled' | 'queued'; attempts?: number; lastError?: string | null },
) =>
  tx
    .updateTable('notifications')
    .set({
      status: set.status,
      updated_at: now,
      ...(set.attempts !== undefined ? { attempts: set.attempts } : {}),
      ...(set.lastError !== undefined ? { last_error: set.lastError } : {}),
      ...(set.status === 'sent' ? { sent_at: now } : {}),
    })
    .where('id', '=', id)
    .execute();

/** An incident by id or number, with its escalation (or null) and its delivery log, oldest first. */
export async function findDeliveryLog(tx: Tx, incident: { id: string } | { number: number }) {
  const row = await ('id' in incident
    ? tx.selectFrom('incidents').select(['id', 'number']).where('id', '=', incident.id)
    : tx.selectFrom('incidents').select(['id', 'number']).where('number', '=', incident.number as never)
  ).executeTakeFirst();
  if (!row) return null;
  const escalation = await tx
    .selectFrom('escalations')
    .select(['policy', 'level', 'pass', 'restarts', 'next_run_at', 'stopped_at', 'stop_reason', 'steps', 'created_at'])
    .where('incident_id', '=', row.id)
    .executeTakeFirst();
  const notifications = await tx
    .selectFrom('notifications as n')
    .leftJoin('users as u', 'u.id', 'n.user_id')
    .leftJoin('contact_methods as m', 'm.id', 'n.contact_method_id')
    .select([
      'n.id',
      'n.level',
      'n.pass',
      'n.restart',
      'n.user_id',
      'u.name as user_name',
      'n.contact_method_id',
      'm.type as method_type',
      'm.label as method_label',
      'n.delay_minutes',
      'n.status',
      'n.attempts',
      'n.last_error',
      'n.created_at',
      'n.sent_at',
    ])
    .where('n.incident_id', '=', row.id)
    .orderBy('n.created_at')
    .orderBy('n.level')
    .orderBy('n.delay_minutes')
    .orderBy('n.id')
    .execute();
  return { incident: row, escalation: escalation ?? null, notifications };
}
