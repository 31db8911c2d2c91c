import { Type } from 'typebox';
import { createCalendarFeed, listCalendarFeeds, renderCalendarFeed, revokeCalendarFeed } from '../../core/schedules/index.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';
import { DateTime, errorResponses, IdParams, NoContent, Nullable, Uuid } from '../schemas.ts';

const tags = ['schedules'];

const CalendarFeed = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('schedule'), Type.Literal('user')], { description: "schedule: every shift of one schedule; user: the owner's own shifts" }),
  schedule: Nullable(Type.Object({ id: Uuid, name: Type.String() })),
  userId: Uuid,
  tokenPreview: Type.String(),
  createdAt: DateTime,
});
const Created = Type.Object({
  feed: CalendarFeed,
  url: Type.String({ description: 'The feed address with its token: shown in this response only. Paste it into a calendar app.' }),
});

/** The address a calendar app subscribes to. */
export const feedUrl = (deps: AppDeps, token: string): string => `${deps.config.publicUrl.replace(/\/+$/, '')}/calendar/${token}.ics`;

/**
 * Calendar feeds: created and revoked over the API by their owner; read by calendar apps at a
 * public address whose token is the credential (`GET /calendar/{token}.ics`).
 */
export function registerCalendarFeedRoutes(api: App, deps: AppDeps): void {
  const created = async (scheduleId: string | null, request: Parameters<typeof ctxOf>[1]) => {
    const { feed, token } = await createCalendarFeed(ctxOf(deps, request), scheduleId);
    return { feed, url: feedUrl(deps, token) };
  };

  api.post(
    '/schedules/:id/calendar-feeds',
    {
      schema: {
        tags,
        summary: "Subscribe to a schedule's shifts as an iCalendar feed (read permission is enough); the URL is shown once",
        params: IdParams,
        response: { 201: Created, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await created(request.params.id, request)),
  );

  api.post(
    '/users/me/calendar-feeds',
    {
      schema: {
        tags,
        summary: 'Subscribe to your own shifts across every schedule as an iCalendar feed; the URL is shown once',
        response: { 201: Created, ...errorResponses(401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await created(null, request)),
  );

  api.get(
    '/users/me/calendar-feeds',
    {
      schema: {
        tags,
        summary: 'Your live calendar feeds (tokens as previews only)',
        response: { 200: Type.Object({ feeds: Type.Array(CalendarFeed) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ feeds: await listCalendarFeeds(ctxOf(deps, request)) }),
  );

  api.delete(
    '/users/me/calendar-feeds/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a calendar feed (yours; an admin may revoke anyone’s): its URL answers 404 from now on',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await revokeCalendarFeed(ctxOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

/** The public feed: no session or API token; rate-limited per address like every public route. */
export function registerCalendarFeedPublicRoute(app: App, deps: AppDeps): void {
  const productId = `-//Vigil//On-call ${deps.version}//EN`;
  app.get(
    '/calendar/:file',
    {
      config: { auth: false },
      schema: {
        tags,
        summary: 'An iCalendar (RFC 5545) feed: 7 days back to 90 days ahead (public: the token in the address is the credential)',
        security: [],
        params: Type.Object({ file: Type.String({ maxLength: 100, description: '<token>.ics' }) }),
        response: { 200: Type.String({ description: 'text/calendar' }), ...errorResponses(404, 429) },
      },
    },
    async (request, reply) => {
      const file = request.params.file;
      const token = file.endsWith('.ics') ? file.slice(0, -4) : '';
      const body = await renderCalendarFeed({ db: deps.database.db, clock: deps.clock }, token, { productId, feedUrl: feedUrl(deps, token) });
      return reply.type('text/calendar; charset=utf-8').header('cache-control', 'no-cache').header('referrer-policy', 'no-referrer').send(body);
    },
  );
}
