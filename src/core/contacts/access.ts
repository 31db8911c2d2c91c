import { actorUserId, authorize, type Ctx } from '../shared/context.ts';
import { forbidden } from '../shared/errors.ts';

/**
 * Contact methods are personal: a person manages their own (a read-scoped token only reads them),
 * an admin anyone's. Nobody else sees the addresses.
 */
export function authorizeOwn(ctx: Ctx, userId: string, change: boolean): void {
  if (actorUserId(ctx.actor) === userId) {
    if (change && ctx.actor.type === 'token' && ctx.actor.scope === 'read') {
      throw forbidden(`The token "${ctx.actor.name}" has the read scope and cannot change anything.`);
    }
    return;
  }
  authorize(ctx.actor, 'admin');
}
