import { Type } from 'typebox';
import {
  acceptSwap,
  addOverride,
  addTemporarySchedule,
  cancelSwap,
  createSchedule,
  declineSwap,
  deleteOverride,
  deleteSchedule,
  deleteTemporarySchedule,
  getOnCall,
  getSchedule,
  getShifts,
  listOnCall,
  listOverrides,
  listSchedules,
  listSwaps,
  listTemporarySchedules,
  MAX_LAYERS,
  MAX_PARTICIPANTS,
  MAX_RESTRICTIONS,
  MAX_TEMPORARY_SHIFTS,
  requestSwap,
  updateSchedule,
} from '../../core/schedules/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { DateTime, errorResponses, IdParams, NoContent, Nullable, Uuid } from '../schemas.ts';

// Instants with an explicit offset or Z ("2026-03-02T09:00:00Z"); core re-checks them.
const When = Type.String({ format: 'date-time', maxLength: 64 });
const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Local time HH:mm' });
const strict = { additionalProperties: false } as const;

const UserRef = Type.Object({ id: Uuid, name: Type.String() });
const Source = Type.Union([
  Type.Object({ type: Type.Literal('layer'), layerId: Type.String() }),
  Type.Object({ type: Type.Literal('override'), overrideId: Type.String() }),
  Type.Object({ type: Type.Literal('temporary'), temporaryId: Type.String() }),
]);
const Restriction = Type.Union([
  Type.Object({ kind: Type.Literal('daily'), start: HHMM, end: HHMM }, strict),
  Type.Object({ kind: Type.Literal('weekly'), startDay: Type.Integer({ minimum: 1, maximum: 7 }), start: HHMM, endDay: Type.Integer({ minimum: 1, maximum: 7 }), end: HHMM }, strict),
]);
const Rotation = Type.Object(
  { unit: Type.Union([Type.Literal('hour'), Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]), length: Type.Integer({ minimum: 1 }) },
  strict,
);
const Handoff = Type.Object(
  {
    date: Type.String({ description: 'Local date YYYY-MM-DD of a handoff to participant 0' }),
    time: HHMM,
    timeZone: Type.Optional(Type.String({ description: "IANA zone of this layer; default: the schedule's" })),
  },
  strict,
);
const layerFields = {
  name: Type.String({ maxLength: 200 }),
  participants: Type.Array(Uuid, { maxItems: MAX_PARTICIPANTS, description: 'User ids in rotation order' }),
  rotation: Rotation,
  handoff: Handoff,
  end: Type.Optional(When),
  restrictions: Type.Optional(Type.Array(Restriction, { maxItems: MAX_RESTRICTIONS })),
};
const LayerBody = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Default: layer-<n>' })),
    ...layerFields,
    start: Type.Optional(When),
  },
  strict,
);
const Layer = Type.Object({ id: Type.String(), ...layerFields, start: Type.String() });

const ScheduleFields = {
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  teamId: Nullable(Uuid),
  timeZone: Type.String(),
  layers: Type.Array(Layer),
  layersFrom: Nullable(DateTime),
  users: Type.Array(UserRef, { description: 'Every participant of the layers' }),
  createdAt: DateTime,
  updatedAt: DateTime,
};
const Gap = Type.Object({ start: Type.String(), end: Type.String() });
const ScheduleDetail = Type.Object({
  ...ScheduleFields,
  gaps: Type.Array(Gap, { description: 'Time in the next 14 days with nobody on call' }),
  coverage: Type.Number({ description: 'Share of the next 14 days with someone on call, 0..1' }),
  horizon: Type.Object({ from: Type.String(), to: Type.String() }),
});
const ScheduleSummary = Type.Object({ ...ScheduleFields, hasGapsNext14Days: Type.Boolean() });
const OneSchedule = Type.Object({ schedule: ScheduleDetail });

const Override = Type.Object({
  id: Uuid,
  scheduleId: Uuid,
  user: Nullable(UserRef),
  replacesUser: Nullable(UserRef),
  start: DateTime,
  end: DateTime,
  note: Type.String(),
  createdBy: Nullable(UserRef),
  createdAt: DateTime,
});
const Temporary = Type.Object({
  id: Uuid,
  scheduleId: Uuid,
  start: DateTime,
  end: DateTime,
  shifts: Type.Array(Type.Object({ user: UserRef, start: Type.String(), end: Type.String() })),
  note: Type.String(),
  createdBy: Nullable(UserRef),
  createdAt: DateTime,
});
const SwapStatus = Type.Union([Type.Literal('requested'), Type.Literal('accepted'), Type.Literal('declined'), Type.Literal('cancelled')]);
const Swap = Type.Object({
  id: Uuid,
  scheduleId: Uuid,
  requester: UserRef,
  recipient: UserRef,
  start: DateTime,
  end: DateTime,
  status: SwapStatus,
  note: Type.String(),
  overrideId: Nullable(Uuid),
  createdAt: DateTime,
  decidedAt: Nullable(DateTime),
});
const OnCall = Type.Object({ user: UserRef, source: Source });
const ScheduleOnCall = Type.Object({ scheduleId: Uuid, at: Type.String(), onCall: Type.Array(OnCall) });
const Shifts = Type.Object({
  scheduleId: Uuid,
  from: Type.String(),
  to: Type.String(),
  shifts: Type.Array(Type.Object({ user: UserRef, start: Type.String(), end: Type.String(), source: Source })),
  gaps: Type.Array(Gap),
  coverage: Type.Number(),
});

const Note = Type.Optional(Type.String({ maxLength: 1000 }));
const ScheduleBody = {
  name: Type.String({ maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  teamId: Type.Optional(Nullable(Uuid)),
  timeZone: Type.String({ maxLength: 100, description: 'IANA zone, e.g. Europe/London' }),
  layers: Type.Optional(Type.Array(LayerBody, { maxItems: MAX_LAYERS, description: 'Lowest precedence first; replaces the whole list on update' })),
};
const Range = Type.Object({ from: Type.Optional(When), to: Type.Optional(When) }, strict);
const RequiredRange = Type.Object({ from: When, to: When }, strict);
const At = Type.Object({ at: Type.Optional(When) }, strict);
const OverrideParams = Type.Object({ id: Uuid, overrideId: Uuid });
const TemporaryParams = Type.Object({ id: Uuid, temporaryId: Uuid });
const SwapParams = Type.Object({ id: Uuid, swapId: Uuid });
const tags = ['schedules'];

/** On-call schedules: CRUD, overrides, temporary schedules, swaps, and who is on call. */
export function registerScheduleRoutes(api: App, deps: AppDeps): void {
  api.get(
    '/schedules',
    {
      schema: {
        tags,
        summary: 'List schedules, each flagged when the next 14 days have time with nobody on call',
        response: { 200: Type.Object({ schedules: Type.Array(ScheduleSummary) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ schedules: await listSchedules(ctxOf(deps, request)) }),
  );

  api.post(
    '/schedules',
    {
      schema: {
        tags,
        summary: 'Create a schedule; participants must be users',
        body: Type.Object(ScheduleBody, strict),
        response: { 201: OneSchedule, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send({ schedule: await createSchedule(ctxOf(deps, request), request.body) }),
  );

  api.get(
    '/schedules/:id',
    {
      schema: {
        tags,
        summary: 'A schedule with its layers, and its gaps and coverage over the next 14 days',
        params: IdParams,
        response: { 200: OneSchedule, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ schedule: await getSchedule(ctxOf(deps, request), request.params.id) }),
  );

  api.patch(
    '/schedules/:id',
    {
      schema: {
        tags,
        summary: 'Change a schedule; new layers (the whole list) or a new zone apply from now on, past shifts stay',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(ScheduleBody.name),
            description: ScheduleBody.description,
            teamId: ScheduleBody.teamId,
            timeZone: Type.Optional(ScheduleBody.timeZone),
            layers: ScheduleBody.layers,
          },
          strict,
        ),
        response: { 200: OneSchedule, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ schedule: await updateSchedule(ctxOf(deps, request), request.params.id, request.body) }),
  );

  api.delete(
    '/schedules/:id',
    {
      schema: { tags, summary: 'Delete a schedule with its overrides and swaps (admins)', params: IdParams, response: { 204: NoContent, ...errorResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      await deleteSchedule(ctxOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/schedules/:id/overrides',
    {
      schema: {
        tags,
        summary: 'Overrides overlapping [from, to) in the order they apply (default: the next 14 days)',
        params: IdParams,
        querystring: Range,
        response: { 200: Type.Object({ overrides: Type.Array(Override) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ overrides: await listOverrides(ctxOf(deps, request), request.params.id, request.query.from, request.query.to) }),
  );

  api.post(
    '/schedules/:id/overrides',
    {
      schema: {
        tags,
        summary: 'Put someone (or nobody: userId null) on call from start to end, instead of replacesUserId or of whoever is on call',
        params: IdParams,
        body: Type.Object({ userId: Nullable(Uuid), replacesUserId: Type.Optional(Uuid), start: When, end: When, note: Note }, strict),
        response: { 201: Type.Object({ override: Override }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(201).send({ override: await addOverride(ctxOf(deps, request), request.params.id, request.body) }),
  );

  api.delete(
    '/schedules/:id/overrides/:overrideId',
    { schema: { tags, summary: 'Delete an override', params: OverrideParams, response: { 204: NoContent, ...errorResponses(401, 403, 404) } } },
    async (request, reply) => {
      await deleteOverride(ctxOf(deps, request), request.params.id, request.params.overrideId);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/schedules/:id/temporary-schedules',
    {
      schema: {
        tags,
        summary: 'Temporary schedules overlapping [from, to) (default: the next 14 days)',
        params: IdParams,
        querystring: Range,
        response: { 200: Type.Object({ temporarySchedules: Type.Array(Temporary) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ temporarySchedules: await listTemporarySchedules(ctxOf(deps, request), request.params.id, request.query.from, request.query.to) }),
  );

  api.post(
    '/schedules/:id/temporary-schedules',
    {
      schema: {
        tags,
        summary: 'Replace everything from start to end with fixed shifts (time no shift covers has nobody on call)',
        params: IdParams,
        body: Type.Object(
          {
            start: When,
            end: When,
            shifts: Type.Array(Type.Object({ userId: Uuid, start: When, end: When }, strict), { maxItems: MAX_TEMPORARY_SHIFTS }),
            note: Note,
          },
          strict,
        ),
        response: { 201: Type.Object({ temporarySchedule: Temporary }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(201).send({ temporarySchedule: await addTemporarySchedule(ctxOf(deps, request), request.params.id, request.body) }),
  );

  api.delete(
    '/schedules/:id/temporary-schedules/:temporaryId',
    { schema: { tags, summary: 'Delete a temporary schedule', params: TemporaryParams, response: { 204: NoContent, ...errorResponses(401, 403, 404) } } },
    async (request, reply) => {
      await deleteTemporarySchedule(ctxOf(deps, request), request.params.id, request.params.temporaryId);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/schedules/:id/swaps',
    {
      schema: {
        tags,
        summary: 'Shift swap requests, newest first',
        params: IdParams,
        querystring: Type.Object({ status: Type.Optional(SwapStatus) }, strict),
        response: { 200: Type.Object({ swaps: Type.Array(Swap) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ swaps: await listSwaps(ctxOf(deps, request), request.params.id, request.query.status) }),
  );

  api.post(
    '/schedules/:id/swaps',
    {
      schema: {
        tags,
        summary: 'Ask someone to take your own on-call time from start to end',
        params: IdParams,
        body: Type.Object({ recipientId: Uuid, start: When, end: When, note: Note }, strict),
        response: { 201: Type.Object({ swap: Swap }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(201).send({ swap: await requestSwap(ctxOf(deps, request), request.params.id, request.body) }),
  );

  const decisions = [
    ['accept', acceptSwap, 'Accept a swap (the recipient): an override puts you on call instead of the requester'],
    ['decline', declineSwap, 'Decline a swap (the recipient)'],
    ['cancel', cancelSwap, 'Withdraw a swap request (the requester)'],
  ] as const;
  for (const [verb, decide, summary] of decisions) {
    api.post(
      `/schedules/:id/swaps/:swapId/${verb}`,
      { schema: { tags, summary, params: SwapParams, response: { 200: Type.Object({ swap: Swap }), ...errorResponses(401, 403, 404, 412) } } },
      async (request) => ({ swap: await decide(ctxOf(deps, request), request.params.id, request.params.swapId) }),
    );
  }

  api.get(
    '/schedules/:id/on-call',
    {
      schema: {
        tags,
        summary: 'Who is on call at an instant (default: now)',
        params: IdParams,
        querystring: At,
        response: { 200: ScheduleOnCall, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getOnCall(ctxOf(deps, request), request.params.id, request.query.at),
  );

  api.get(
    '/schedules/:id/shifts',
    {
      schema: {
        tags,
        summary: 'The final shifts of [from, to) (at most 366 days) with gaps and coverage',
        params: IdParams,
        querystring: RequiredRange,
        response: { 200: Shifts, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getShifts(ctxOf(deps, request), request.params.id, request.query.from, request.query.to),
  );

  api.get(
    '/oncall',
    {
      schema: {
        tags,
        summary: 'Who is on call at an instant (default: now) in every schedule',
        querystring: At,
        response: {
          200: Type.Object({ at: Type.String(), schedules: Type.Array(Type.Object({ schedule: Type.Object({ id: Uuid, name: Type.String() }), onCall: Type.Array(OnCall) })) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => listOnCall(ctxOf(deps, request), request.query.at),
  );
}
