import type { Kysely } from 'kysely';
import type { DB, Role, TokenScope } from '../../storage/schema.ts';
import type { Clock } from './clock.ts';
import { forbidden } from './errors.ts';

/** Who is acting. A token acts for its user, capped by its scope. */
export type Actor =
  | { type: 'user'; id: string; name: string; role: Role }
  | { type: 'token'; id: string; userId: string; userName: string; name: string; role: Role; scope: TokenScope }
  | { type: 'system'; name: string };

/** What every verb receives: the database, the one clock, the actor and the request id. */
export interface Ctx {
  db: Kysely<DB>;
  clock: Clock;
  actor: Actor;
  requestId?: string;
}

/** What store functions run on: a transaction, or the database itself for a single read. */
export type Tx = Kysely<DB>;

/** read < write < admin. Observers read; responders write; admins administer. */
export type Permission = 'read' | 'write' | 'admin';
const LEVEL: Record<Permission, number> = { read: 1, write: 2, admin: 3 };
const ROLE_LEVEL: Record<Role, Permission> = { observer: 'read', responder: 'write', admin: 'admin' };

/** The highest permission an actor holds: its role, capped by a token's scope. */
export function permissionOf(actor: Actor): Permission {
  if (actor.type === 'system') return 'admin';
  const role = ROLE_LEVEL[actor.role];
  if (actor.type === 'user') return role;
  return LEVEL[actor.scope] < LEVEL[role] ? actor.scope : role;
}

export function can(actor: Actor, needed: Permission): boolean {
  return LEVEL[permissionOf(actor)] >= LEVEL[needed];
}

/** Throws FORBIDDEN unless the actor holds `needed`. */
export function authorize(actor: Actor, needed: Permission): void {
  if (!can(actor, needed)) {
    throw forbidden(`This needs the ${needed} permission; ${describeActor(actor)} has ${permissionOf(actor)}.`);
  }
}

/** The user an actor stands for, if any (tokens act for their owner). */
export function actorUserId(actor: Actor): string | null {
  return actor.type === 'user' ? actor.id : actor.type === 'token' ? actor.userId : null;
}

function describeActor(actor: Actor): string {
  return actor.type === 'token' ? `the token "${actor.name}"` : actor.type === 'user' ? 'your account' : actor.name;
}

export const systemActor = (name = 'vigil'): Actor => ({ type: 'system', name });
