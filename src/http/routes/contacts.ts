import { Type } from 'typebox';
import { addContactMethod, addNotificationRule, deleteContactMethod, deleteNotificationRule, getContacts, sendContactCode, verifyContactMethod } from '../../core/contacts/index.ts';
import { listReadiness } from '../../core/handoffs/index.ts';
import { actorUserId, type Ctx } from '../../core/shared/context.ts';
import { DomainError, forbidden } from '../../core/shared/errors.ts';
import type { ContactType } from '../../storage/schema.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { DateTime, errorResponses, NoContent, Nullable, Uuid } from '../schemas.ts';

const ContactMethod = Type.Object({
  id: Uuid,
  userId: Uuid,
  type: Type.Union(
    [Type.Literal('email'), Type.Literal('webhook'), Type.Literal('slack'), Type.Literal('slack_webhook'), Type.Literal('teams'), Type.Literal('sms'), Type.Literal('voice')],
    { description: 'slack: a member or channel id through the bot; slack_webhook and teams: an incoming-webhook URL; sms and voice: an E.164 number' },
  ),
  label: Type.String(),
  address: Type.String(),
  verified: Type.Boolean(),
  verifiedAt: Nullable(DateTime),
  createdAt: DateTime,
});
const NotificationRule = Type.Object({
  id: Uuid,
  userId: Uuid,
  contactMethodId: Uuid,
  urgency: Type.Union([Type.Literal('high'), Type.Literal('low')]),
  delayMinutes: Type.Integer(),
});
const Readiness = Type.Object({
  high: Type.Boolean({ description: 'A high-urgency page reaches them: a rule on a verified method' }),
  low: Type.Boolean(),
  problems: Type.Array(Type.String()),
});
const Contacts = Type.Object({ methods: Type.Array(ContactMethod), rules: Type.Array(NotificationRule), readiness: Readiness });
const UserParams = Type.Object({ id: Type.Union([Uuid, Type.Literal('me')], { description: 'A user id, or "me"' }) });
const MethodParams = Type.Object({ id: UserParams.properties.id, methodId: Uuid });
const RuleParams = Type.Object({ id: UserParams.properties.id, ruleId: Uuid });

/**
 * Why a type of method cannot be added on this server: its channel needs settings it was not
 * given. A method that could never be sent to could never be verified, nor paged.
 */
export function unconfiguredChannels(config: AppDeps['config']): Partial<Record<ContactType, string>> {
  const phone = 'SMS and voice are not configured on this server: set VIGIL_TWILIO_ACCOUNT_SID, VIGIL_TWILIO_AUTH_TOKEN and VIGIL_TWILIO_FROM to add sms and voice contact methods.';
  return {
    ...(config.smtpUrl ? {} : { email: 'Email is not configured on this server: set VIGIL_SMTP_URL (and VIGIL_SMTP_FROM) to add email contact methods.' }),
    ...(config.slackBotToken
      ? {}
      : { slack: 'Slack is not configured on this server: set VIGIL_SLACK_BOT_TOKEN (a bot token with the chat:write scope) to add Slack member or channel ids, or add an incoming-webhook URL as the type slack_webhook.' }),
    ...(config.twilioAccountSid ? {} : { sms: phone, voice: phone }),
  };
}

/** "me" is the acting person; anyone else is checked by the verb (self or admin). */
const userOf = (ctx: Ctx, id: string): string => {
  if (id !== 'me') return id;
  const me = actorUserId(ctx.actor);
  if (!me) throw forbidden('Only a person has contact methods.');
  return me;
};

/** Contact methods, their verification, notification rules, and who on call cannot be reached. */
export function registerContactRoutes(api: App, deps: AppDeps, options: { unconfigured: Partial<Record<ContactType, string>> }): void {
  const tags = ['contacts'];
  api.get(
    '/users/:id/contacts',
    { schema: { tags, summary: "A person's contact methods, notification rules and readiness (yourself, or anyone for an admin)", params: UserParams, response: { 200: Contacts, ...errorResponses(400, 401, 403, 404) } } },
    async (request) => {
      const ctx = ctxOf(deps, request);
      return getContacts(ctx, userOf(ctx, request.params.id));
    },
  );
  api.post(
    '/users/:id/contact-methods',
    {
      schema: {
        tags,
        summary: 'Add a contact method; a verification code is sent to it, and it cannot be paged until the code is entered back',
        params: UserParams,
        body: Type.Object({ type: Type.String({ maxLength: 20 }), label: Type.String({ maxLength: 200 }), address: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ contactMethod: ContactMethod }), ...errorResponses(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(deps, request);
      const unconfigured = options.unconfigured[request.body.type as ContactType];
      if (unconfigured) throw new DomainError('PRECONDITION_FAILED', unconfigured);
      const contactMethod = await addContactMethod(ctx, userOf(ctx, request.params.id), request.body as never);
      return reply.status(201).send({ contactMethod });
    },
  );
  api.post(
    '/users/:id/contact-methods/:methodId/send-code',
    { schema: { tags, summary: 'Send an unverified method a new code (at most once a minute)', params: MethodParams, response: { 202: NoContent, ...errorResponses(400, 401, 403, 404, 412, 429) } } },
    async (request, reply) => {
      const ctx = ctxOf(deps, request);
      await sendContactCode(ctx, userOf(ctx, request.params.id), request.params.methodId);
      return reply.status(202).send(null);
    },
  );
  api.post(
    '/users/:id/contact-methods/:methodId/verify',
    {
      schema: {
        tags,
        summary: 'Verify a method with the code it was sent (five wrong codes, or 15 minutes, and a new code is needed)',
        params: MethodParams,
        body: Type.Object({ code: Type.String({ maxLength: 20 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ contactMethod: ContactMethod }), ...errorResponses(400, 401, 403, 404, 412) },
      },
    },
    async (request) => {
      const ctx = ctxOf(deps, request);
      return { contactMethod: await verifyContactMethod(ctx, userOf(ctx, request.params.id), request.params.methodId, request.body.code) };
    },
  );
  api.delete(
    '/users/:id/contact-methods/:methodId',
    { schema: { tags, summary: 'Remove a contact method and the notification rules that use it', params: MethodParams, response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) } } },
    async (request, reply) => {
      const ctx = ctxOf(deps, request);
      await deleteContactMethod(ctx, userOf(ctx, request.params.id), request.params.methodId);
      return reply.status(204).send(null);
    },
  );
  api.post(
    '/users/:id/notification-rules',
    {
      schema: {
        tags,
        summary: 'Add a notification rule: for an urgency, which method to use after how many minutes',
        params: UserParams,
        body: Type.Object(
          { contactMethodId: Uuid, urgency: Type.Union([Type.Literal('high'), Type.Literal('low')]), delayMinutes: Type.Integer() },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ rule: NotificationRule }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(deps, request);
      const rule = await addNotificationRule(ctx, userOf(ctx, request.params.id), request.body);
      return reply.status(201).send({ rule });
    },
  );
  api.delete(
    '/users/:id/notification-rules/:ruleId',
    { schema: { tags, summary: 'Remove a notification rule', params: RuleParams, response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) } } },
    async (request, reply) => {
      const ctx = ctxOf(deps, request);
      await deleteNotificationRule(ctx, userOf(ctx, request.params.id), request.params.ruleId);
      return reply.status(204).send(null);
    },
  );
  api.get(
    '/readiness',
    {
      schema: {
        tags,
        summary: 'Everyone on call in the next 7 days and whether a page reaches them (no addresses: only what is missing)',
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            people: Type.Array(
              Type.Object({
                user: Type.Object({ id: Uuid, name: Type.String() }),
                from: Type.String({ description: 'When their first shift in the week starts' }),
                schedules: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
                readiness: Readiness,
              }),
            ),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => listReadiness(ctxOf(deps, request)),
  );
}
