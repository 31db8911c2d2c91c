import { actorUserId, type Actor, authorize, can } from '../shared/context.ts';
import { forbidden } from '../shared/errors.ts';

/**
 * For actions a person takes on their own shifts (swaps): the actor must be one of `parties`, or
 * an admin. A read-scoped token never changes anything, whoever owns it.
 */
export function authorizeParty(actor: Actor, parties: string[], what: string): void {
  authorize(actor, 'read');
  if (actor.type === 'token' && actor.scope === 'read') throw forbidden(`The token "${actor.name}" has the read scope and cannot change anything.`);
  if (can(actor, 'admin')) return;
  const me = actorUserId(actor);
  if (me === null || !parties.includes(me)) throw forbidden(`Only ${what} may do this.`);
}
