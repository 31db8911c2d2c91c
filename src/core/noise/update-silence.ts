import type { Matcher } from '../alerts/index.ts';
import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound, validationError } from '../shared/errors.ts';
import { auditData, storeNewSilence } from './create-silence.ts';
import { expireSpan, planSilenceEdit, type Silence } from './noise.ts';
import { findSilence, lockSilence, updateSilence as writeSilence } from './store.ts';

export interface UpdateSilenceInput {
  serviceId?: string | null | undefined;
  matchers?: Matcher[] | undefined;
  comment?: string | undefined;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
}

export interface SilenceUpdate {
  silence: Silence;
  /** Set when the edit created a new silence and expired this one (Alertmanager's rule). */
  replaced: { id: string; reason: string } | null;
}

/**
 * Edits a silence in place, or — when the edit changes what it matches, or the silence has
 * expired — creates a new silence and expires the old one, answering with the new one.
 */
export async function updateSilence(ctx: Ctx, id: string, input: UpdateSilenceInput): Promise<SilenceUpdate> {
  authorize(ctx.actor, 'write');
  return ctx.db.transaction().execute(async (tx) => {
    const now = ctx.clock.now();
    const current = await lockSilence(tx, id);
    if (!current) throw notFound('silence', id);
    const edit = planSilenceEdit(current, input, now);
    if (edit.problems.length) throw validationError(edit.problems);

    if (edit.kind === 'update') {
      await writeSilence(tx, id, edit.value, now);
      await writeAudit(tx, ctx, { action: 'silence.update', entityType: 'silence', entityId: id, data: { before: auditData(current), after: auditData(edit.value) } });
      return { silence: (await findSilence(tx, id, now))!, replaced: null };
    }

    const newId = await storeNewSilence(tx, ctx, edit.value, now);
    const ended = expireSpan(current, now);
    if (ended) await writeSilence(tx, id, ended, now);
    await writeAudit(tx, ctx, {
      action: 'silence.expire',
      entityType: 'silence',
      entityId: id,
      data: { replacedBy: newId, reason: edit.reason, ...(ended ? { endsAt: ended.endsAt } : { alreadyExpired: true }) },
    });
    await writeAudit(tx, ctx, { action: 'silence.create', entityType: 'silence', entityId: newId, data: { ...auditData(edit.value), replaces: id, reason: edit.reason } });
    return { silence: (await findSilence(tx, newId, now))!, replaced: { id, reason: edit.reason } };
  });
}
