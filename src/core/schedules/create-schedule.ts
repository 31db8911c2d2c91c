import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { conflict, type FieldError, validationError } from '../shared/errors.ts';
import { findTeamById } from '../teams/index.ts';
import { participantRefs, unknownUsers } from './check-users.ts';
import { type ScheduleDetail, scheduleDetail } from './get-schedule.ts';
import { checkDescription, checkLayers, checkScheduleName } from './records.ts';
import type { Layer } from './schedule.ts';
import { findSchedule, findScheduleIdByName, insertSchedule } from './store.ts';

/** A layer as a client writes it: `id` defaults to `layer-<n>` and `start` to now. */
export type LayerInput = Omit<Layer, 'id' | 'start'> & { id?: string | undefined; start?: string | undefined };

export interface CreateScheduleInput {
  name: string;
  description?: string | undefined;
  teamId?: string | null | undefined;
  timeZone: string;
  layers?: LayerInput[] | undefined;
}

/** Fills in the defaults of layers as written by a client. */
export const completeLayers = (layers: LayerInput[], now: Date): Layer[] =>
  layers.map((l, i) => {
    const { id, start, ...rest } = l;
    return { ...rest, id: id ?? `layer-${i + 1}`, start: start ?? now.toISOString() } as Layer;
  });

/** Creates a schedule; every participant must be a user. */
export async function createSchedule(ctx: Ctx, input: CreateScheduleInput): Promise<ScheduleDetail> {
  authorize(ctx.actor, 'write');
  const now = ctx.clock.now();
  const name = input.name.trim();
  const description = (input.description ?? '').trim();
  const layers = completeLayers(input.layers ?? [], now);
  const problems = [checkScheduleName(input.name), checkDescription(description)].filter((p): p is FieldError => p !== null);
  problems.push(...checkLayers(input.timeZone, layers));
  if (problems.length) throw validationError(problems);

  return ctx.db.transaction().execute(async (tx) => {
    const missing = await unknownUsers(tx, participantRefs(layers));
    if (input.teamId && !(await findTeamById(tx, input.teamId))) missing.push({ field: 'teamId', reason: 'no such team' });
    if (missing.length) throw validationError(missing);
    if (await findScheduleIdByName(tx, name)) {
      throw conflict(`A schedule named "${name}" already exists.`, { fields: [{ field: 'name', reason: 'is already in use' }] });
    }
    const { id } = await insertSchedule(tx, { name, description, teamId: input.teamId ?? null, timeZone: input.timeZone, layers, now });
    await writeAudit(tx, ctx, { action: 'schedule.create', entityType: 'schedule', entityId: id, data: { name, timeZone: input.timeZone, teamId: input.teamId ?? null, layers } });
    return scheduleDetail(tx, (await findSchedule(tx, id))!, now);
  });
}
