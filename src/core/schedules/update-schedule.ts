import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { conflict, type FieldError, notFound, validationError } from '../shared/errors.ts';
import { findTeamById } from '../teams/index.ts';
import { participantRefs, unknownUsers } from './check-users.ts';
import { completeLayers, type CreateScheduleInput } from './create-schedule.ts';
import { type ScheduleDetail, scheduleDetail } from './get-schedule.ts';
import { checkDescription, checkLayers, checkScheduleName, pinZone } from './records.ts';
import type { Layer } from './schedule.ts';
import { findSchedule, findScheduleIdByName, insertLayerHistory, lockSchedule, updateSchedule as writeSchedule } from './store.ts';

/**
 * Changes the fields given. `layers` replaces the whole layer list. A new layer list or zone
 * applies from now on: the definition it replaces is kept for the time it was in force, so shifts
 * already past stay as they were (docs/schedules.md, "Editing a schedule").
 */
export async function updateSchedule(ctx: Ctx, id: string, input: Partial<CreateScheduleInput>): Promise<ScheduleDetail> {
  authorize(ctx.actor, 'write');
  const now = ctx.clock.now();
  const set: { name?: string; description?: string; team_id?: string | null; time_zone?: string; layers?: Layer[]; layers_from?: Date | null } = {};
  const problems: (FieldError | null)[] = [];
  if (input.name !== undefined) {
    problems.push(checkScheduleName(input.name));
    set.name = input.name.trim();
  }
  if (input.description !== undefined) {
    set.description = input.description.trim();
    problems.push(checkDescription(set.description));
  }
  if (input.teamId !== undefined) set.team_id = input.teamId;
  const fieldErrors = problems.filter((p): p is FieldError => p !== null);
  if (fieldErrors.length) throw validationError(fieldErrors);

  return ctx.db.transaction().execute(async (tx) => {
    const current = await lockSchedule(tx, id);
    if (!current) throw notFound('schedule', id);
    const timeZone = input.timeZone ?? current.timeZone;
    const layers = input.layers === undefined ? current.layers : completeLayers(input.layers, now);
    if (input.layers !== undefined || input.timeZone !== undefined) {
      const problems = checkLayers(timeZone, layers);
      if (problems.length) throw validationError(problems);
    }
    const missing = input.layers ? await unknownUsers(tx, participantRefs(layers)) : [];
    if (set.team_id && !(await findTeamById(tx, set.team_id))) missing.push({ field: 'teamId', reason: 'no such team' });
    if (missing.length) throw validationError(missing);
    if (set.name && (await findScheduleIdByName(tx, set.name, id))) {
      throw conflict(`A schedule named "${set.name}" already exists.`, { fields: [{ field: 'name', reason: 'is already in use' }] });
    }

    const changed = timeZone !== current.timeZone || JSON.stringify(layers) !== JSON.stringify(current.layers);
    if (changed) {
      // The old definition stays in force up to now, read in its own zone. A definition that
      // took effect at this very instant was never in force: it is simply replaced.
      if (current.layersFrom === null || current.layersFrom < now) {
        await insertLayerHistory(tx, { scheduleId: id, layers: pinZone(current.layers, current.timeZone), validFrom: current.layersFrom, validTo: now, now });
      }
      Object.assign(set, { time_zone: timeZone, layers, layers_from: now });
    }
    await writeSchedule(tx, id, set, now);
    const { layers_from: _from, ...data } = set;
    await writeAudit(tx, ctx, { action: 'schedule.update', entityType: 'schedule', entityId: id, data: { ...data, ...(changed ? { effectiveFrom: now.toISOString() } : {}) } });
    return scheduleDetail(tx, (await findSchedule(tx, id))!, now);
  });
}
