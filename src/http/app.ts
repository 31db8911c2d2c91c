import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import helmet from 'helmet';
import type { Clock } from '../core/shared/clock.ts';
import { DomainError } from '../core/shared/errors.ts';
import { hashSecret } from '../core/shared/secrets.ts';
import type { Database } from '../storage/open-database.ts';
import { authenticate } from './auth.ts';
import { handleError } from './errors.ts';
import { createMetrics } from './metrics.ts';
import { findStalled } from '../core/escalation/index.ts';
import { registerActionLinkRoutes } from './routes/action-links.ts';
import { registerAlertRoutes } from './routes/alerts.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerCalendarFeedPublicRoute, registerCalendarFeedRoutes } from './routes/calendar-feeds.ts';
import { registerContactRoutes, unconfiguredChannels } from './routes/contacts.ts';
import { registerHandoffRoutes } from './routes/handoffs.ts';
import { registerEscalationPolicyRoutes } from './routes/escalation-policies.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerHeartbeatRoutes } from './routes/heartbeats.ts';
import { registerIncidentRoutes } from './routes/incidents.ts';
import { registerIngestRoutes } from './routes/ingest.ts';
import { registerLiveRoutes } from './routes/live.ts';
import { registerNoiseRoutes } from './routes/noise.ts';
import { registerScheduleRoutes } from './routes/schedules.ts';
import { registerServiceRoutes } from './routes/services.ts';
import { registerTeamRoutes } from './routes/teams.ts';
import { registerTokenRoutes } from './routes/tokens.ts';
import { registerUserRoutes } from './routes/users.ts';
import { registerWebhookRoutes } from './routes/webhooks.ts';
import { ErrorResponse } from './schemas.ts';

export interface AppDeps {
  database: Database;
  clock: Clock;
  config: {
    publicUrl: string;
    bodyLimitBytes: number;
    rateLimitPerMinute: number;
    /** Per integration key; 6000 when absent. */
    ingestRateLimitPerMinute?: number;
    /** Email contact methods need an SMTP server. */
    smtpUrl?: string | undefined;
    /** Slack member and channel ids need a bot token; SMS and voice a Twilio account. */
    slackBotToken?: string | undefined;
    twilioAccountSid?: string | undefined;
    sessionTtlHours: number;
    trustProxy: boolean;
  };
  version: string;
  /** The built web UI (web/dist); served at / when present. */
  webDir?: string | undefined;
  logger?: FastifyServerOptions['logger'];
}

export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * Bodies are validated strictly (no type coercion, unknown fields refused); query strings and path
 * parameters arrive as text, so they are coerced.
 */
function validators() {
  const options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false } as const;
  const body = addFormats(new Ajv({ ...options, coerceTypes: false }));
  const other = addFormats(new Ajv({ ...options, coerceTypes: 'array' }));
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? body : other).compile(schema);
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A one-click link's token is a credential in the path: request logs show `/a/[token]` instead. */
function withoutLinkTokens(logger: AppDeps['logger']): FastifyServerOptions['logger'] {
  if (!logger || typeof logger !== 'object') return logger ?? false;
  const req = (r: FastifyRequest) => ({ method: r.method, url: r.url.replace(/^\/a\/[^/?#]+/, '/a/[token]'), host: r.host, remoteAddress: r.ip, remotePort: r.socket?.remotePort });
  return { ...logger, serializers: { ...logger.serializers, req } };
}

/** Builds the HTTP app without listening (tests use `inject`). */
export async function createApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    logger: withoutLinkTokens(deps.logger),
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: deps.config.trustProxy,
    requestIdHeader: false,
    // A one-click link's token (116 characters) is one path parameter; the default limit is 100.
    routerOptions: { maxParamLength: 512 },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validators());
  app.setErrorHandler(handleError);
  app.addSchema(ErrorResponse);
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const metrics = createMetrics({ stalledPages: async () => (await findStalled(deps.database.db)).length });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Vigil API', version: deps.version, description: 'Incident response: services, alerts, on-call, escalation, incidents.' },
      servers: [{ url: deps.config.publicUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (vgl_…) from Settings → API tokens or `vigil token create`' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'vigil_session' },
          genieKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Opsgenie-compatible endpoints: "GenieKey <integration key>"' },
        },
      },
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (json.$id as string | undefined) ?? `def-${i}` },
  });
  // The browsable docs are public, like the OpenAPI document they render.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...route.config, auth: false };
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // swagger-ui's own CSP asks browsers to upgrade to https, which breaks the page on plain http.
    transformStaticCSP: (csp) => (deps.config.publicUrl.startsWith('https:') ? csp : csp.replace(/\s*upgrade-insecure-requests;?/, '')),
    uiConfig: { deepLinking: true },
  });
  // Security headers from helmet, built once: @fastify/helmet rebuilds its middleware (and parses
  // the CSP) on every request, which was a measurable share of an ingest request's CPU.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...app.swaggerCSP.script],
        styleSrc: ["'self'", "'unsafe-inline'", ...app.swaggerCSP.style],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        // Only an https deployment may ask browsers to upgrade; on plain http it would break every asset.
        upgradeInsecureRequests: deps.config.publicUrl.startsWith('https:') ? [] : null,
      },
    },
    strictTransportSecurity: deps.config.publicUrl.startsWith('https:'),
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  await app.register(rateLimit, {
    global: true,
    max: deps.config.rateLimitPerMinute,
    timeWindow: 60_000,
    enableDraftSpec: true,
    // Per token when one is sent (many scripts may share one NAT address), else per address.
    keyGenerator: (request) => {
      const auth = request.headers.authorization;
      return typeof auth === 'string' ? `t:${hashSecret(auth)}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => {
      const error = new DomainError('RATE_LIMITED', `Too many requests: the limit is ${context.max} per ${context.after === '1 minute' ? 'minute' : 'window'}; retry in ${context.after}.`);
      return Object.assign(error, { statusCode: 429 });
    },
  });

  // After rate limiting (onRequest), before the body is read: unauthenticated bodies are never parsed.
  const auth = authenticate(deps);
  app.addHook('preParsing', async (request, reply, payload) => {
    await auth(request, reply);
    return payload;
  });

  registerHealthRoutes(app, deps, metrics.registry);
  await app.register(
    async (api) => {
      registerAuthRoutes(api, deps);
      registerUserRoutes(api, deps);
      registerTeamRoutes(api, deps);
      registerTokenRoutes(api, deps);
      registerServiceRoutes(api, deps);
      registerAuditRoutes(api, deps);
      registerNoiseRoutes(api, deps);
      registerAlertRoutes(api, deps);
      registerIncidentRoutes(api, deps);
      registerLiveRoutes(api, deps);
      registerHeartbeatRoutes(api, deps);
      registerScheduleRoutes(api, deps);
      registerCalendarFeedRoutes(api, deps);
      registerHandoffRoutes(api, deps);
      registerContactRoutes(api, deps, { unconfigured: unconfiguredChannels(deps.config) });
      registerEscalationPolicyRoutes(api, deps);
      registerWebhookRoutes(api, deps);
    },
    { prefix: '/api/v1' },
  );
  registerIngestRoutes(app, deps);
  registerCalendarFeedPublicRoute(app, deps);
  await registerActionLinkRoutes(app, deps);
  app.get('/api/v1/openapi.json', { config: { auth: false }, schema: { hide: true } }, async () => app.swagger());

  const webDir = deps.webDir;
  const hasWeb = webDir !== undefined && existsSync(join(webDir, 'index.html'));
  const indexHtml = hasWeb ? readFileSync(join(webDir, 'index.html')) : undefined;
  if (hasWeb) {
    // The UI's files are public (the page itself asks for sign-in); only this scope's routes are marked.
    await app.register(async (ui) => {
      ui.addHook('onRoute', (route) => {
        route.config = { ...route.config, auth: false };
      });
      await ui.register(fastifyStatic, { root: webDir, wildcard: false, index: false, serve: true, prefix: '/' });
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const wantsPage = request.method === 'GET' && !path.startsWith('/api/') && path !== '/metrics';
    if (wantsPage && indexHtml) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
    if (wantsPage && !path.includes('.')) {
      return reply.status(503).type('text/plain').send('The web UI is not built. Run `npm run build:web` (npm start does this), then reload.');
    }
    return handleError(new DomainError('NOT_FOUND', `No route ${request.method} ${path}.`), request, reply);
  });
  return app;
}
