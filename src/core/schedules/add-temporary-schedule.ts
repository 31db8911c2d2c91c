import { writeAudit } from '../shared/audit.ts';
import { actorUserId, authorize, type Ctx } from '../shared/context.ts';
import { type FieldError, notFound, validationError } from '../shared/errors.ts';
import { unknownUsers } from './check-users.ts';
import { checkNote, checkTemporary } from './records.ts';
import { findTemporaries, insertTemporary, lockSchedule } from './store.ts';
import { type TemporaryView, temporaryViews } from './views.ts';

export interface AddTemporaryInput {
  start: string;
  end: string;
  shifts: { userId: string; start: string; end: string }[];
  note?: string | undefined;
}

/**
 * Adds a temporary schedule: its shifts replace layers and overrides from `start` to `end`. It may
 * not overlap another one of the schedule, and must end in the future.
 */
export async function addTemporarySchedule(ctx: Ctx, scheduleId: string, input: AddTemporaryInput): Promise<TemporaryView> {
  authorize(ctx.actor, 'write');
  const now = ctx.clock.now();
  const note = (input.note ?? '').trim();
  const problems: FieldError[] = checkTemporary(input);
  const noteProblem = checkNote(note);
  if (noteProblem) problems.push(noteProblem);
  if (!problems.some((p) => p.field === 'end') && Date.parse(input.end) <= now.getTime()) problems.push({ field: 'end', reason: 'must be in the future (past shifts are not rewritten)' });
  if (problems.length) throw validationError(problems);
  const start = new Date(input.start);
  const end = new Date(input.end);
  // Stored as the calculator reads them: UTC instants.
  const shifts = input.shifts.map((s) => ({ userId: s.userId, start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString() }));

  return ctx.db.transaction().execute(async (tx) => {
    if (!(await lockSchedule(tx, scheduleId))) throw notFound('schedule', scheduleId);
    const missing = await unknownUsers(tx, input.shifts.map((s, j) => ({ field: `shifts.${j}.userId`, id: s.userId })));
    if (missing.length) throw validationError(missing);
    const [overlapping] = await findTemporaries(tx, [scheduleId], start, end);
    if (overlapping) throw validationError([{ field: 'start', reason: `overlaps the temporary schedule ${overlapping.id} (${overlapping.start.toISOString()} to ${overlapping.end.toISOString()})` }]);
    const temporary = await insertTemporary(tx, { scheduleId, start, end, shifts, note, createdBy: actorUserId(ctx.actor), now });
    await writeAudit(tx, ctx, {
      action: 'schedule.temporary.create',
      entityType: 'schedule',
      entityId: scheduleId,
      data: { temporaryId: temporary.id, start: start.toISOString(), end: end.toISOString(), shifts },
    });
    return (await temporaryViews(tx, [temporary]))[0]!;
  });
}
