import { Type } from 'typebox';
import {
  createPolicy,
  deletePolicy,
  getPolicy,
  listPolicies,
  MAX_DELAY_MINUTES,
  MAX_LEVELS,
  MAX_REPEAT,
  MAX_TARGETS,
  previewPolicy,
  setServicePolicy,
  updatePolicy,
} from '../../core/escalation/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { DateTime, errorResponses, IdParams, NoContent, Nullable, Uuid } from '../schemas.ts';

const strict = { additionalProperties: false } as const;
const When = Type.String({ format: 'date-time', maxLength: 64 });

const TargetType = Type.Union([Type.Literal('user'), Type.Literal('schedule'), Type.Literal('team')]);
const MODE_HELP = 'all: everyone the targets resolve to; round-robin: one of them per firing, the next one each time';
const modes = () => [Type.Literal('all'), Type.Literal('round-robin')] as const;
const Mode = Type.Union([...modes()], { description: MODE_HELP });
const TargetBody = Type.Object({ type: TargetType, id: Uuid }, strict);
const LevelBody = Type.Object(
  {
    delayMinutes: Type.Integer({ minimum: 1, maximum: MAX_DELAY_MINUTES, description: 'Minutes to wait after this level fires before the next level fires' }),
    mode: Type.Optional(Type.Union([...modes()], { description: `${MODE_HELP}; default: all` })),
    targets: Type.Array(TargetBody, { minItems: 1, maxItems: MAX_TARGETS, description: 'Users; schedules (whoever is on call when the level fires); teams (every member)' }),
  },
  strict,
);
const PolicyBody = {
  name: Type.String({ maxLength: 200 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  teamId: Type.Optional(Nullable(Uuid)),
  repeat: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_REPEAT, description: 'Extra passes over all levels after the first; default 0' })),
  ackTimeoutMinutes: Type.Optional(
    Nullable(Type.Integer({ minimum: 1, maximum: MAX_DELAY_MINUTES, description: 'An acknowledged incident not resolved within this many minutes is triggered again and escalates from level 1; null (default): never' })),
  ),
  levels: Type.Array(LevelBody, { minItems: 1, maxItems: MAX_LEVELS, description: 'In firing order; replaces the whole list on update' }),
};

const Ref = Type.Object({ id: Uuid, name: Type.String() });
const TargetView = Type.Object({ type: TargetType, id: Uuid, name: Nullable(Type.String({ description: 'null: deleted since; resolves to nobody' })) });
const Policy = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  teamId: Nullable(Uuid),
  repeat: Type.Integer(),
  ackTimeoutMinutes: Nullable(Type.Integer()),
  version: Type.Integer({ description: '1 on creation, +1 on every edit' }),
  levels: Type.Array(Type.Object({ delayMinutes: Type.Integer(), mode: Mode, targets: Type.Array(TargetView) })),
  services: Type.Array(Ref, { description: 'The services that page through this policy' }),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const One = Type.Object({ policy: Policy });
const Preview = Type.Object({
  policyId: Uuid,
  version: Type.Integer(),
  at: Type.String(),
  levels: Type.Array(
    Type.Object({
      level: Type.Integer(),
      delayMinutes: Type.Integer(),
      mode: Mode,
      targets: Type.Array(Type.Object({ ...TargetView.properties, users: Type.Array(Ref) })),
      users: Type.Array(Ref, { description: 'Everyone the level resolves to at `at`, once each, in paging order' }),
      skipped: Type.Boolean({ description: 'Resolves to nobody: passed over without waiting its delay' }),
    }),
  ),
  timeline: Type.Array(
    Type.Object({
      at: Type.String(),
      level: Nullable(Type.Integer()),
      pass: Nullable(Type.Integer()),
      users: Type.Array(Ref),
      skipped: Type.Array(Type.Object({ level: Type.Integer(), pass: Type.Integer() })),
    }),
    { description: 'The escalation if nobody acknowledged, everyone resolving as at `at` throughout' },
  ),
});
const tags = ['escalation'];

/** Escalation policies: CRUD, preview, and the policy a service pages through. */
export function registerEscalationPolicyRoutes(api: App, deps: AppDeps): void {
  api.get(
    '/escalation-policies',
    { schema: { tags, summary: 'List escalation policies with the services that use each', response: { 200: Type.Object({ policies: Type.Array(Policy) }), ...errorResponses(401, 403) } } },
    async (request) => ({ policies: await listPolicies(ctxOf(deps, request)) }),
  );

  api.post(
    '/escalation-policies',
    {
      schema: {
        tags,
        summary: 'Create an escalation policy; every target must exist',
        body: Type.Object(PolicyBody, strict),
        response: { 201: One, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send({ policy: await createPolicy(ctxOf(deps, request), request.body) }),
  );

  api.get(
    '/escalation-policies/:id',
    { schema: { tags, summary: 'One escalation policy', params: IdParams, response: { 200: One, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => ({ policy: await getPolicy(ctxOf(deps, request), request.params.id) }),
  );

  api.patch(
    '/escalation-policies/:id',
    {
      schema: {
        tags,
        summary: 'Change a policy; escalations already running keep the snapshot they started with',
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(PolicyBody.name), description: PolicyBody.description, teamId: PolicyBody.teamId, repeat: PolicyBody.repeat, ackTimeoutMinutes: PolicyBody.ackTimeoutMinutes, levels: Type.Optional(PolicyBody.levels) },
          strict,
        ),
        response: { 200: One, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({ policy: await updatePolicy(ctxOf(deps, request), request.params.id, request.body) }),
  );

  api.delete(
    '/escalation-policies/:id',
    {
      schema: {
        tags,
        summary: 'Delete a policy (admins); refused with 409 naming the services while any service uses it',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deletePolicy(ctxOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/escalation-policies/:id/preview',
    {
      schema: {
        tags,
        summary: 'Who each level would page at `at` (default: now), and the timeline if nobody acknowledged',
        params: IdParams,
        querystring: Type.Object({ at: Type.Optional(When) }, strict),
        response: { 200: Type.Object({ preview: Preview }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({ preview: await previewPolicy(ctxOf(deps, request), request.params.id, request.query.at) }),
  );

  api.put(
    '/services/:id/escalation-policy',
    {
      schema: {
        tags: ['services', ...tags],
        summary: 'Point a service at an escalation policy, or at none (null: it pages nobody)',
        params: IdParams,
        body: Type.Object({ policyId: Nullable(Uuid) }, strict),
        response: { 200: Type.Object({ serviceId: Uuid, policy: Nullable(Ref) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => setServicePolicy(ctxOf(deps, request), request.params.id, request.body.policyId),
  );
}
