import { writeAudit } from '../shared/audit.ts';
import { actorUserId, type Ctx } from '../shared/context.ts';
import { type FieldError, forbidden, notFound, validationError } from '../shared/errors.ts';
import { unknownUsers } from './check-users.ts';
import { loadSchedules } from './load-schedule.ts';
import { checkNote, checkOverride, coversRange } from './records.ts';
import { finalSchedule } from './schedule-math.ts';
import { insertSwap, lockSchedule } from './store.ts';
import { noticeSwap } from './swap-notices.ts';
import { type SwapView, swapViews } from './views.ts';

export interface RequestSwapInput {
  /** Who is asked to take the shift. */
  recipientId: string;
  start: string;
  end: string;
  note?: string | undefined;
}

/**
 * Asks `recipientId` to take the actor's own on-call time from `start` to `end`. Any signed-in
 * person may ask, for a range they are on call for the whole of (as the schedule stands now).
 * Nothing changes until the recipient accepts.
 */
export async function requestSwap(ctx: Ctx, scheduleId: string, input: RequestSwapInput): Promise<SwapView> {
  const requesterId = actorUserId(ctx.actor);
  if (requesterId === null) throw forbidden('Only a person can ask to swap their shift.');
  if (ctx.actor.type === 'token' && ctx.actor.scope === 'read') throw forbidden(`The token "${ctx.actor.name}" has the read scope and cannot change anything.`);
  const now = ctx.clock.now();
  const note = (input.note ?? '').trim();
  const problems: FieldError[] = checkOverride({ userId: input.recipientId, start: input.start, end: input.end });
  const noteProblem = checkNote(note);
  if (noteProblem) problems.push(noteProblem);
  if (input.recipientId === requesterId) problems.push({ field: 'recipientId', reason: 'must be someone else' });
  if (!problems.some((p) => p.field === 'end') && Date.parse(input.end) <= now.getTime()) problems.push({ field: 'end', reason: 'must be in the future' });
  if (problems.length) throw validationError(problems);
  const start = new Date(input.start);
  const end = new Date(input.end);

  return ctx.db.transaction().execute(async (tx) => {
    const record = await lockSchedule(tx, scheduleId);
    if (!record) throw notFound('schedule', scheduleId);
    const missing = await unknownUsers(tx, [{ field: 'recipientId', id: input.recipientId }]);
    if (missing.length) throw validationError(missing);
    const schedule = (await loadSchedules(tx, [record], start, end)).get(scheduleId)!;
    if (!coversRange(finalSchedule(schedule, start, end).shifts, requesterId, start, end)) {
      throw validationError([{ field: 'start', reason: 'you are not on call for the whole of this range' }]);
    }
    const swap = await insertSwap(tx, { scheduleId, requesterId, recipientId: input.recipientId, start, end, note, now });
    await writeAudit(tx, ctx, {
      action: 'schedule.swap.request',
      entityType: 'schedule',
      entityId: scheduleId,
      data: { swapId: swap.id, requesterId, recipientId: input.recipientId, start: start.toISOString(), end: end.toISOString() },
    });
    const view = (await swapViews(tx, [swap]))[0]!;
    await noticeSwap(tx, view, record.name, 'requested', now);
    return view;
  });
}
