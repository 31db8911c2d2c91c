import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { expireSpan, type Silence } from './noise.ts';
import { findSilence, lockSilence, updateSilence } from './store.ts';

/**
 * Ends a silence now; alerts arriving from now on are no longer silenced by it. Expiring an
 * expired silence changes nothing and answers it as it is (as current Alertmanager does).
 */
export async function expireSilence(ctx: Ctx, id: string): Promise<Silence> {
  authorize(ctx.actor, 'write');
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now();
    const current = await lockSilence(tx, id);
    if (!current) throw notFound('silence', id);
    const ended = expireSpan(current, now);
    if (ended) {
      await updateSilence(tx, id, ended, now);
      await writeAudit(tx, ctx, { action: 'silence.expire', entityType: 'silence', entityId: id, data: { endsAt: ended.endsAt } });
    }
    return (await findSilence(tx, id, now))!;
  });
}
