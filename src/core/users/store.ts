import { sql } from 'kysely';
import type { Role, TokenScope } from '../../storage/schema.ts';
import type { Tx } from '../shared/context.ts';

const USER_COLUMNS = ['id', 'email', 'name', 'time_zone', 'role', 'created_at'] as const;

export const findUserByEmail = (tx: Tx, email: string) =>
  tx
    .selectFrom('users')
    .select([...USER_COLUMNS, 'password_hash'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();

export const findUserById = (tx: Tx, id: string) =>
  tx.selectFrom('users').select([...USER_COLUMNS, 'password_hash']).where('id', '=', id).executeTakeFirst();

export const listUsers = (tx: Tx) => tx.selectFrom('users').select(USER_COLUMNS).orderBy('name').orderBy('id').execute();

export const countUsers = async (tx: Tx) =>
  Number((await tx.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

export const insertUser = (
  tx: Tx,
  row: { email: string; name: string; role: Role; time_zone: string; password_hash: string | null; now: Date },
) =>
  tx
    .insertInto('users')
    .values({
      email: row.email,
      name: row.name,
      role: row.role,
      time_zone: row.time_zone,
      password_hash: row.password_hash,
      created_at: row.now,
      updated_at: row.now,
    })
    .returning(USER_COLUMNS)
    .executeTakeFirstOrThrow();

export const updateUser = (
  tx: Tx,
  id: string,
  set: { name?: string; time_zone?: string; password_hash?: string },
  now: Date,
) => tx.updateTable('users').set({ ...set, updated_at: now }).where('id', '=', id).returning(USER_COLUMNS).executeTakeFirst();

export const insertSession = (tx: Tx, row: { token_hash: string; user_id: string; created_at: Date; expires_at: Date }) =>
  tx.insertInto('sessions').values(row).execute();

/** The session's user, if the session exists and has not expired at `now`. */
export const findSessionUser = (tx: Tx, tokenHash: string, now: Date) =>
  tx
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.email', 'users.name', 'users.time_zone', 'users.role', 'users.created_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();

export const deleteSession = (tx: Tx, tokenHash: string) => tx.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();

export const deleteSessionsOfUser = (tx: Tx, userId: string, exceptHash?: string) => {
  let q = tx.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptHash) q = q.where('token_hash', '!=', exceptHash);
  return q.execute();
};

const TOKEN_COLUMNS = ['id', 'user_id', 'name', 'token_prefix', 'scope', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'] as const;

export const insertApiToken = (
  tx: Tx,
  row: { user_id: string; name: string; token_hash: string; token_prefix: string; scope: TokenScope; created_at: Date; expires_at: Date | null },
) => tx.insertInto('api_tokens').values(row).returning(TOKEN_COLUMNS).executeTakeFirstOrThrow();

/** Live tokens only: neither revoked nor expired at `now`. */
export const listApiTokensOfUser = (tx: Tx, userId: string, now: Date) =>
  tx
    .selectFrom('api_tokens')
    .select(TOKEN_COLUMNS)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('created_at', 'desc')
    .execute();

export const findApiToken = (tx: Tx, id: string) =>
  tx.selectFrom('api_tokens').select(TOKEN_COLUMNS).where('id', '=', id).executeTakeFirst();

/** A live token and its owner: not revoked, not expired at `now`. */
export const findLiveTokenByHash = (tx: Tx, tokenHash: string, now: Date) =>
  tx
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.scope',
      'api_tokens.last_used_at',
      'users.id as user_id',
      'users.name as user_name',
      'users.role',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
    .executeTakeFirst();

export const touchApiToken = (tx: Tx, id: string, now: Date) =>
  tx.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();

export const revokeApiToken = (tx: Tx, id: string, now: Date) =>
  tx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
