import { writeAudit } from '../shared/audit.ts';
import { actorUserId, authorize, type Ctx } from '../shared/context.ts';
import { type FieldError, notFound, validationError } from '../shared/errors.ts';
import { unknownUsers } from './check-users.ts';
import { checkNote, checkOverride } from './records.ts';
import { insertOverride, lockSchedule } from './store.ts';
import { type OverrideView, overrideViews } from './views.ts';

export interface AddOverrideInput {
  /** null: nobody (removes whoever is on call). */
  userId: string | null;
  /** Only replace this person; absent: whoever is on call, or fill a gap. */
  replacesUserId?: string | undefined;
  start: string;
  end: string;
  note?: string | undefined;
}

/** Adds an override; it applies on top of earlier ones. It must end in the future: the past is not rewritten. */
export async function addOverride(ctx: Ctx, scheduleId: string, input: AddOverrideInput): Promise<OverrideView> {
  authorize(ctx.actor, 'write');
  const now = ctx.clock.now();
  const note = (input.note ?? '').trim();
  const problems: FieldError[] = checkOverride(input);
  const noteProblem = checkNote(note);
  if (noteProblem) problems.push(noteProblem);
  if (!problems.some((p) => p.field === 'end') && Date.parse(input.end) <= now.getTime()) problems.push({ field: 'end', reason: 'must be in the future (past shifts are not rewritten)' });
  if (problems.length) throw validationError(problems);

  return ctx.db.transaction().execute(async (tx) => {
    if (!(await lockSchedule(tx, scheduleId))) throw notFound('schedule', scheduleId);
    const missing = await unknownUsers(tx, [
      { field: 'userId', id: input.userId },
      { field: 'replacesUserId', id: input.replacesUserId },
    ]);
    if (missing.length) throw validationError(missing);
    const override = await insertOverride(tx, {
      scheduleId,
      userId: input.userId,
      replacesUserId: input.replacesUserId ?? null,
      start: new Date(input.start),
      end: new Date(input.end),
      note,
      createdBy: actorUserId(ctx.actor),
      now,
    });
    await writeAudit(tx, ctx, {
      action: 'schedule.override.create',
      entityType: 'schedule',
      entityId: scheduleId,
      data: { overrideId: override.id, userId: input.userId, replacesUserId: input.replacesUserId ?? null, start: override.start.toISOString(), end: override.end.toISOString() },
    });
    return (await overrideViews(tx, [override]))[0]!;
  });
}
