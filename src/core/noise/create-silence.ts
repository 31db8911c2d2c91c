import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx, type Tx } from '../shared/context.ts';
import { DomainError, validationError } from '../shared/errors.ts';
import { actorName, MAX_LIVE_SILENCES, type NewSilenceInput, planNewSilence, type Silence, type SilenceDraft } from './noise.ts';
import { countLiveSilences, findServiceName, findSilence, insertSilence } from './store.ts';

/**
 * Creates a silence (Alertmanager's semantics): from its start to its end, a new alert whose fields
 * match every matcher — on its service, or on any service when `serviceId` is null — is recorded
 * as suppressed and pages nobody.
 */
export async function createSilence(ctx: Ctx, input: NewSilenceInput): Promise<Silence> {
  authorize(ctx.actor, 'write');
  const now = ctx.clock.now();
  const { value, problems } = planNewSilence(input, now);
  if (problems.length) throw validationError(problems);
  return ctx.db.transaction().execute(async (tx) => {
    const id = await storeNewSilence(tx, ctx, value, now);
    await writeAudit(tx, ctx, { action: 'silence.create', entityType: 'silence', entityId: id, data: auditData(value) });
    return (await findSilence(tx, id, now))!;
  });
}

/** Checks the service and the cap, then inserts: shared by create and by an edit that replaces. */
export async function storeNewSilence(tx: Tx, ctx: Ctx, value: SilenceDraft, now: Date): Promise<string> {
  if (value.serviceId !== null && !(await findServiceName(tx, value.serviceId))) {
    throw validationError([{ field: 'serviceId', reason: 'no such service' }]);
  }
  if ((await countLiveSilences(tx, now)) >= MAX_LIVE_SILENCES) {
    throw new DomainError('LIMIT_EXCEEDED', `At most ${MAX_LIVE_SILENCES} silences may be active or pending at once; expire some first.`, {
      limit: MAX_LIVE_SILENCES,
    });
  }
  return (await insertSilence(tx, { ...value, createdBy: actorName(ctx.actor), now })).id;
}

export const auditData = (v: SilenceDraft): Record<string, unknown> => ({
  serviceId: v.serviceId,
  matchers: v.matchers,
  comment: v.comment,
  startsAt: v.startsAt,
  endsAt: v.endsAt,
});
