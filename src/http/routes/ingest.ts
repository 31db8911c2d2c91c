import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type AlertSignal, createIngestor, findRequestOutcome, type IngestResult, type Ingestor, recordChange } from '../../core/alerts/index.ts';
import { findServiceIdByKey } from '../../core/services/index.ts';
import { DomainError, type FieldError, validationError } from '../../core/shared/errors.ts';
import { parseAlertmanagerWebhook } from '../../integrations/alertmanager/inbound.ts';
import { parseGenericEvent } from '../../integrations/generic/inbound.ts';
import { parseOpsgenieAction, parseOpsgenieCreate } from '../../integrations/opsgenie/inbound.ts';
import { parsePagerDutyChange, parsePagerDutyEvent } from '../../integrations/pagerduty/inbound.ts';
import type { App, AppDeps } from '../app.ts';
import { HTTP_STATUS, toDomainError } from '../errors.ts';
import { createKeyRateLimiter, type KeyRateLimiter } from '../key-rate-limit.ts';
import { shareKeyRateLimits } from '../shared-rate-limit.ts';
import { hashSecret } from '../../core/shared/secrets.ts';
import { errorResponses } from '../schemas.ts';

/** Senders may post up to 512 KB (PagerDuty's limit), whatever the API's own body limit. */
export const INGEST_BODY_LIMIT = 512 * 1024;

/**
 * The endpoints monitoring tools post to, each in its sender's own dialect (bodies, status codes,
 * error shapes), so switching to Vigil is a change of URL. They are authenticated by the
 * integration key, not by a session or token, and answer 2xx only once the event is committed.
 */
export function registerIngestRoutes(app: App, deps: AppDeps, ingestor: Ingestor = createIngestor(deps.database.db, deps.clock)): void {
  const perMinute = deps.config.ingestRateLimitPerMinute ?? 6000;
  const limiter = createKeyRateLimiter(perMinute);
  const shared =
    deps.database.mode === 'postgres'
      ? shareKeyRateLimits(deps.database, deps.clock, limiter, (e) => app.log.warn({ err: e }, 'sharing ingest rate limits failed'))
      : null;
  if (shared) app.addHook('onClose', () => shared.stop());
  const config = { auth: false, rateLimit: { max: perMinute * 10, timeWindow: 60_000 } };
  const base = { bodyLimit: INGEST_BODY_LIMIT, config };
  // Buckets are kept (and shared between nodes) by a hash of the key, never the key itself.
  const hashes = new Map<string, string>();
  const bucketOf = (key: string) => {
    let h = hashes.get(key);
    if (h === undefined) {
      if (hashes.size >= 100_000) hashes.clear();
      h = hashSecret(key).slice(0, 24);
      hashes.set(key, h);
    }
    return h;
  };
  const throttled = (key: string, cost = 1) => {
    const bucket = bucketOf(key);
    const wait = limiter.take(bucket, deps.clock.now().getTime(), cost);
    if (wait === null) shared?.record(bucket, cost);
    return wait;
  };

  // ---- PagerDuty Events API v2 -------------------------------------------------------------
  const pdError = (reply: FastifyReply, status: number, message: string, errors: string[], statusText = 'invalid event') =>
    reply.status(status).send({ status: statusText, message, errors });
  const pdErrors = compatErrors((reply, status, e) =>
    status === 429
      ? pdError(reply, 429, 'Requests for this service are arriving too quickly. Please retry later.', [e.message], 'throttle event')
      : status === 413
        ? pdError(reply, 413, 'Request entity too large', [`The event is larger than ${INGEST_BODY_LIMIT / 1024} KB.`])
        : status < 500
          ? pdError(reply, status, 'Event object is invalid', [e.message])
          : pdError(reply, status, 'Event could not be processed; retry later.', [e.message], 'error'),
  );
  const pdSchema = (summary: string) => ({ tags: ['ingest'], summary, security: [], body: Type.Unknown(), response: { 202: PdAccepted } });

  app.post('/v2/enqueue', { ...base, errorHandler: pdErrors, schema: pdSchema('PagerDuty Events API v2: trigger, acknowledge or resolve an alert') }, async (request, reply) => {
    const parsed = parsePagerDutyEvent(request.body);
    if (!parsed.ok) return pdError(reply, 400, 'Event object is invalid', parsed.errors);
    const { routingKey, signal } = parsed.value;
    const wait = throttled(routingKey);
    if (wait !== null) return pdError(reply.header('retry-after', String(wait)), 429, 'Requests for this service are arriving too quickly. Please retry later.', [], 'throttle event');
    // The log keeps the event as received, except its key: observers read logs, not keys.
    const { routing_key: _key, ...kept } = signal.raw as Record<string, unknown>;
    const [result] = await ingestor.submit([{ target: { key: routingKey }, signal: { ...signal, raw: kept }, requestId: request.id }]);
    if (!result!.knownKey) return pdError(reply, 400, 'Event object is invalid', ['Invalid routing key']);
    return reply.status(202).send({ status: 'success', message: 'Event processed', dedup_key: result!.dedupKey });
  });

  app.post('/v2/change/enqueue', { ...base, errorHandler: pdErrors, schema: pdSchema('PagerDuty change events: a deploy or config change, shown on incidents, never paged') }, async (request, reply) => {
    const parsed = parsePagerDutyChange(request.body);
    if (!parsed.ok) return pdError(reply, 400, 'Event object is invalid', parsed.errors);
    const wait = throttled(parsed.value.routingKey);
    if (wait !== null) return pdError(reply.header('retry-after', String(wait)), 429, 'Requests for this service are arriving too quickly. Please retry later.', [], 'throttle event');
    const stored = await recordChange(deps.database.db, deps.clock, parsed.value.routingKey, parsed.value.change);
    if (!stored) return pdError(reply, 400, 'Event object is invalid', ['Invalid routing key']);
    return reply.status(202).send({ status: 'success', message: 'Change event processed', dedup_key: null });
  });

  // ---- Opsgenie Alert API --------------------------------------------------------------------
  const ogReply = (request: FastifyRequest, reply: FastifyReply, status: number, body: Record<string, unknown>) =>
    reply.status(status).send({ ...body, took: Math.round(reply.elapsedTime) / 1000, requestId: request.id });
  const ogErrors = compatErrors((reply, status, e) => reply.status(status === 400 ? 422 : status).send({ message: e.message, took: 0, requestId: reply.request.id }));
  const genieKey = (request: FastifyRequest): string | null => /^GenieKey\s+(\S{1,128})$/i.exec(request.headers.authorization ?? '')?.[1] ?? null;
  const ogSchema = (summary: string) => ({ tags: ['ingest'], summary, security: [{ genieKey: [] }], body: Type.Unknown(), response: { 202: OgAccepted } });

  const ogIngest = async (request: FastifyRequest, reply: FastifyReply, parse: () => ReturnType<typeof parseOpsgenieCreate>) => {
    const key = genieKey(request);
    if (!key) return ogReply(request, reply, 401, { message: 'Could not authenticate: send "Authorization: GenieKey <integration key>".' });
    const parsed = parse();
    if (!parsed.ok) return ogReply(request, reply, 422, { message: `Request body is not processable. ${parsed.errors.join(' ')}`, errors: parsed.errors });
    const wait = throttled(key);
    if (wait !== null) return ogReply(request, reply.header('retry-after', String(wait)), 429, { message: 'Too many requests for this integration; retry later.' });
    const [result] = await ingestor.submit([{ target: { key }, signal: parsed.value, requestId: request.id }]);
    if (!result!.knownKey) return ogReply(request, reply, 401, { message: 'Could not authenticate: the integration key is unknown or revoked.' });
    return ogReply(request, reply, 202, { result: 'Request will be processed' });
  };

  app.post('/v2/alerts', { ...base, errorHandler: ogErrors, schema: ogSchema('Opsgenie Alert API: create an alert (a repeat alias counts up)') }, (request, reply) =>
    ogIngest(request, reply, () => parseOpsgenieCreate(request.body)),
  );
  const OgParams = Type.Object({ identifier: Type.String({ maxLength: 512 }) });
  const OgQuery = Type.Object({ identifierType: Type.Optional(Type.String({ maxLength: 16 })) });
  for (const [path, action] of [['acknowledge', 'acknowledge'], ['close', 'resolve']] as const) {
    app.post<{ Params: { identifier: string }; Querystring: { identifierType?: string } }>(
      `/v2/alerts/:identifier/${path}`,
      { ...base, errorHandler: ogErrors, schema: { ...ogSchema(`Opsgenie Alert API: ${path} an alert by id, tiny id or alias`), params: OgParams, querystring: OgQuery } },
      (request, reply) => ogIngest(request, reply, () => parseOpsgenieAction(request.params.identifier, request.query.identifierType, request.body, action)),
    );
  }

  app.get<{ Params: { requestId: string } }>(
    '/v2/alerts/requests/:requestId',
    { config, errorHandler: ogErrors, schema: { tags: ['ingest'], summary: 'Opsgenie Alert API: what became of a request', security: [{ genieKey: [] }], params: Type.Object({ requestId: Type.String({ maxLength: 64 }) }) } },
    async (request, reply) => {
      const key = genieKey(request);
      const service = key ? await findServiceIdByKey(deps.database.db, key) : undefined;
      if (!service) return ogReply(request, reply, 401, { message: 'Could not authenticate: the integration key is unknown or revoked.' });
      const event = await findRequestOutcome(deps.database.db, service.service_id, request.params.requestId);
      if (!event) return ogReply(request, reply, 404, { message: 'Request not found. It may not be processed yet.' });
      const success = event.decision !== 'ignored' && event.decision !== 'dropped';
      return ogReply(request, reply, 200, {
        data: {
          success,
          isSuccess: success,
          action: event.action === 'trigger' ? 'Create' : event.action === 'acknowledge' ? 'Acknowledge' : 'Close',
          processedAt: event.at.toISOString(),
          integrationId: service.service_id,
          status: OG_STATUS[event.decision] ?? event.reason,
          alertId: event.alert_id ?? '',
          alias: event.dedup_key ?? '',
        },
      });
    },
  );

  // ---- Prometheus Alertmanager webhook --------------------------------------------------------
  const KeyParams = Type.Object({ key: Type.String({ maxLength: 128 }) });
  app.post<{ Params: { key: string } }>(
    '/integrations/alertmanager/:key',
    {
      ...base,
      schema: {
        tags: ['ingest'],
        summary: 'Prometheus Alertmanager webhook (payload version 4): each alert is deduplicated by its fingerprint',
        security: [],
        params: KeyParams,
        body: Type.Unknown(),
        response: { 200: AmAccepted, ...errorResponses(400, 404, 413, 429) },
      },
    },
    async (request, reply) => {
      const parsed = parseAlertmanagerWebhook(request.body);
      if (!parsed.ok) throw validationError(parsed.errors.map((reason: string) => ({ field: 'body', reason })));
      const results = await submitKeyed(request.params.key, parsed.value, request.id, reply);
      if (!results) return reply;
      return reply.status(200).send({ status: 'success', alerts: results.map((r) => ({ dedupKey: r.dedupKey, decision: r.decision, alertId: r.alertId, reason: r.reason })) });
    },
  );

  // ---- Generic JSON, for curl and scripts ------------------------------------------------------
  app.post<{ Params: { key: string } }>(
    '/api/v1/integrations/:key/events',
    {
      ...base,
      schema: {
        tags: ['ingest'],
        summary: 'Generic JSON event: title, status firing|resolved, dedup_key, severity, description, details, links, source_url',
        security: [],
        params: KeyParams,
        body: Type.Unknown(),
        response: { 202: GenericAccepted, ...errorResponses(400, 404, 413, 429) },
      },
    },
    async (request, reply) => {
      const parsed = parseGenericEvent(request.body);
      if (!parsed.ok) throw validationError(parsed.errors.map(toField));
      const results = await submitKeyed(request.params.key, [parsed.value], request.id, reply);
      if (!results) return reply;
      const r = results[0]!;
      return reply.status(202).send({ status: 'accepted', decision: r.decision, reason: r.reason, dedupKey: r.dedupKey, alertId: r.alertId, alertNumber: r.alertNumber, incidentId: r.incidentId });
    },
  );

  /** Our own dialects: 429 and 404 in our error shape. Null when the reply was already sent. */
  async function submitKeyed(key: string, signals: AlertSignal[], requestId: string, reply: FastifyReply): Promise<IngestResult[] | null> {
    const wait = throttled(key, signals.length);
    if (wait !== null) {
      reply.header('retry-after', String(wait));
      throw new DomainError('RATE_LIMITED', `Too many events for this integration key (limit ${perMinute} a minute); retry in ${wait} s.`);
    }
    const results = await ingestor.submit(signals.map((signal) => ({ target: { key }, signal, requestId })));
    if (results.length && !results[0]!.knownKey) throw new DomainError('NOT_FOUND', 'The integration key is unknown or revoked. Copy the URL again from the service page.');
    if (signals.length === 0) {
      // An empty alerts[] still proves the key: check it so a typo is not answered with success.
      if (!(await findServiceIdByKey(deps.database.db, key))) throw new DomainError('NOT_FOUND', 'The integration key is unknown or revoked.');
    }
    return results;
  }
}

/** "title: is required" → { field: "body.title", reason: "is required" }. */
function toField(error: string): FieldError {
  const m = /^([A-Za-z_][\w.[\]]*): (.+)$/.exec(error);
  if (!m) return { field: 'body', reason: error };
  return { field: m[1] === 'body' || m[1]!.startsWith('body.') ? m[1]! : `body.${m[1]}`, reason: m[2]! };
}

/** A route error handler that renders errors in a sender's own shape, with our status table. */
function compatErrors(render: (reply: FastifyReply, status: number, error: DomainError) => FastifyReply) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const domain = toDomainError(error);
    const status = HTTP_STATUS[domain.code];
    if (status >= 500) request.log.error({ err: error }, 'ingest failed');
    return render(reply, status, domain);
  };
}

const OG_STATUS: Record<string, string> = {
  created: 'Created alert',
  deduplicated: 'Alert already exists; count increased',
  suppressed: 'Created alert (suppressed: nobody paged)',
  acknowledged: 'Acknowledged alert',
  resolved: 'Closed alert',
  ignored: 'Alert does not exist',
  dropped: 'Dropped by an event rule',
};

const PdAccepted = Type.Object({ status: Type.String(), message: Type.String(), dedup_key: Type.Union([Type.String(), Type.Null()]) });
const OgAccepted = Type.Object({ result: Type.String(), took: Type.Number(), requestId: Type.String() });
const Decision = Type.String({ description: 'created, deduplicated, acknowledged, resolved, ignored, suppressed or dropped' });
const AmAccepted = Type.Object({
  status: Type.String(),
  alerts: Type.Array(Type.Object({ dedupKey: Type.Union([Type.String(), Type.Null()]), decision: Decision, alertId: Type.Union([Type.String(), Type.Null()]), reason: Type.String() })),
});
const GenericAccepted = Type.Object({
  status: Type.String(),
  decision: Decision,
  reason: Type.String(),
  dedupKey: Type.Union([Type.String(), Type.Null()]),
  alertId: Type.Union([Type.String(), Type.Null()]),
  alertNumber: Type.Union([Type.Integer(), Type.Null()]),
  incidentId: Type.Union([Type.String(), Type.Null()]),
});
