import type { ContactType } from '../../storage/schema.ts';
import type { Tx } from '../shared/context.ts';
import type { ContactMethod, NotificationRule } from './contact.ts';

const METHOD_COLUMNS = ['id', 'user_id', 'type', 'label', 'address', 'verified_at', 'code_hash', 'code_expires_at', 'code_attempts', 'code_sent_at', 'created_at'] as const;

type MethodRow = {
  id: string;
  user_id: string;
  type: ContactType;
  label: string;
  address: string;
  verified_at: Date | null;
  code_hash: string | null;
  code_expires_at: Date | null;
  code_attempts: number;
  code_sent_at: Date | null;
  created_at: Date;
};

export const toMethod = (r: MethodRow): ContactMethod => ({
  id: r.id,
  userId: r.user_id,
  type: r.type,
  label: r.label,
  address: r.address,
  verified: r.verified_at !== null,
  verifiedAt: r.verified_at,
  createdAt: r.created_at,
});

export const findMethods = (tx: Tx, userIds: readonly string[]): Promise<MethodRow[]> =>
  userIds.length === 0 ? Promise.resolve([]) : tx.selectFrom('contact_methods').select(METHOD_COLUMNS).where('user_id', 'in', userIds).orderBy('created_at').orderBy('id').execute();

/** One method of one user, locked (codes and attempts change under it). */
export const lockMethod = (tx: Tx, userId: string, id: string): Promise<MethodRow | undefined> =>
  tx.selectFrom('contact_methods').select(METHOD_COLUMNS).where('id', '=', id).where('user_id', '=', userId).forUpdate().executeTakeFirst();

export const findMethodById = (tx: Tx, id: string): Promise<MethodRow | undefined> =>
  tx.selectFrom('contact_methods').select(METHOD_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();

export async function insertMethod(tx: Tx, row: { userId: string; type: ContactType; label: string; address: string; now: Date }): Promise<MethodRow> {
  return tx
    .insertInto('contact_methods')
    .values({ user_id: row.userId, type: row.type, label: row.label, address: row.address, created_at: row.now, updated_at: row.now })
    .returning(METHOD_COLUMNS)
    .executeTakeFirstOrThrow();
}

export const setCode = (tx: Tx, id: string, code: { hash: string; expiresAt: Date; sentAt: Date }) =>
  tx.updateTable('contact_methods').set({ code_hash: code.hash, code_expires_at: code.expiresAt, code_sent_at: code.sentAt, code_attempts: 0, updated_at: code.sentAt }).where('id', '=', id).execute();

export const countAttempt = (tx: Tx, id: string, now: Date) =>
  tx.updateTable('contact_methods').set((eb) => ({ code_attempts: eb('code_attempts', '+', 1), updated_at: now })).where('id', '=', id).execute();

export const markVerified = (tx: Tx, id: string, now: Date) =>
  tx.updateTable('contact_methods').set({ verified_at: now, code_hash: null, code_expires_at: null, code_attempts: 0, updated_at: now }).where('id', '=', id).execute();

export const deleteMethod = (tx: Tx, id: string) => tx.deleteFrom('contact_methods').where('id', '=', id).execute();

const toRule = (r: { id: string; user_id: string; contact_method_id: string; urgency: 'high' | 'low'; delay_minutes: number }): NotificationRule => ({
  id: r.id,
  userId: r.user_id,
  contactMethodId: r.contact_method_id,
  urgency: r.urgency,
  delayMinutes: r.delay_minutes,
});

export async function findRules(tx: Tx, userIds: readonly string[]): Promise<NotificationRule[]> {
  if (userIds.length === 0) return [];
  const rows = await tx
    .selectFrom('notification_rules')
    .select(['id', 'user_id', 'contact_method_id', 'urgency', 'delay_minutes'])
    .where('user_id', 'in', userIds)
    .orderBy('urgency')
    .orderBy('delay_minutes')
    .orderBy('created_at')
    .execute();
  return rows.map(toRule);
}

export async function insertRule(tx: Tx, row: { userId: string; contactMethodId: string; urgency: 'high' | 'low'; delayMinutes: number; now: Date }): Promise<NotificationRule> {
  const r = await tx
    .insertInto('notification_rules')
    .values({ user_id: row.userId, contact_method_id: row.contactMethodId, urgency: row.urgency, delay_minutes: row.delayMinutes, created_at: row.now })
    .returning(['id', 'user_id', 'contact_method_id', 'urgency', 'delay_minutes'])
    .executeTakeFirstOrThrow();
  return toRule(r);
}

export const deleteRule = (tx: Tx, userId: string, id: string) =>
  tx.deleteFrom('notification_rules').where('id', '=', id).where('user_id', '=', userId).returning(['id', 'contact_method_id', 'urgency', 'delay_minutes']).executeTakeFirst();

export const userExists = async (tx: Tx, id: string) => (await tx.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
