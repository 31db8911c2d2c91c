import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { MAX_TOKEN_LENGTH } from '../../core/action-links/index.ts';
import { type LinkTarget, openActionLink, useActionLink } from '../../core/incidents/index.ts';
import type { DomainError } from '../../core/shared/errors.ts';
import type { App, AppDeps } from '../app.ts';
import { HTTP_STATUS, toDomainError } from '../errors.ts';
import { errorResponses, Uuid } from '../schemas.ts';
import { escapeHtml as h, PAGE_HEADERS, page } from './action-link-pages.ts';

// No maxLength here: the token's own check refuses one over MAX_TOKEN_LENGTH with the HTML page.
const Params = Type.Object({ token: Type.String({ description: `The signed token from the page (at most ${MAX_TOKEN_LENGTH} characters)` }) });
const Outcome = Type.Object({
  incident: Type.Object({ id: Uuid, number: Type.Integer(), status: Type.Union([Type.Literal('triggered'), Type.Literal('acknowledged'), Type.Literal('resolved')]) }),
  action: Type.Union([Type.Literal('acknowledge'), Type.Literal('resolve')]),
  result: Type.Union([Type.Literal('done'), Type.Literal('already')], { description: 'done: this request changed the incident; already: nothing was left to do' }),
});

const VERB = { acknowledge: { verb: 'Acknowledge', past: 'acknowledged' }, resolve: { verb: 'Resolve', past: 'resolved' } } as const;

/**
 * One-click links from pages (docs/escalation.md, "One-click links"): public, the signed token is
 * the credential. GET only shows what the link would do, because mail scanners and chat unfurlers
 * fetch links nobody clicked; POST (the page's button, or a client asking for JSON) does it.
 */
export async function registerActionLinkRoutes(app: App, deps: AppDeps): Promise<void> {
  const base = deps.config.publicUrl.replace(/\/+$/, '');
  const incidentUrl = (number: number) => `${base}/incidents/${number}`;
  const deps0 = (request: FastifyRequest) => ({ db: deps.database.db, clock: deps.clock, requestId: request.id });
  const html = (reply: FastifyReply, status: number, title: string, body: string) => reply.status(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(page(title, body));
  const about = (t: Pick<LinkTarget, 'incident'>) => `#${t.incident.number} ${h(t.incident.title)} on ${h(t.incident.serviceName)}`;
  const footer = (number: number | null) => `<p class="note">${number === null ? `<a href="${h(base)}/">Open Vigil</a>` : `<a href="${h(incidentUrl(number))}">Open incident #${number} in Vigil</a>`}</p>`;

  const refusal = (reply: FastifyReply, request: FastifyRequest, error: DomainError) => {
    const status = HTTP_STATUS[error.code];
    if (status >= 500) request.log.error({ err: error }, 'action link failed');
    const incident = (error.details?.incident as { number: number } | null | undefined) ?? null;
    switch (error.code) {
      case 'EXPIRED':
        return html(reply, status, 'Link expired', `<h1>This link has expired</h1><p>${h(error.message)}</p>${footer(incident?.number ?? null)}`);
      case 'VALIDATION':
        return html(reply, status, 'Link not valid', `<h1>This link is not valid</h1><p>It may have been cut short or changed on the way. Find the incident in Vigil instead.</p>${footer(null)}`);
      case 'FORBIDDEN':
        return html(reply, status, 'Link not usable', `<h1>This link can no longer be used</h1><p>${h(error.message)}</p>${footer(null)}`);
      case 'NOT_FOUND':
        return html(reply, status, 'Incident not found', `<h1>This incident no longer exists</h1>${footer(null)}`);
      default:
        return html(reply, status, 'Something went wrong', `<h1>Something went wrong</h1><p>${h(error.message)}</p><p class="note">Request ${h(request.id)}</p>${footer(null)}`);
    }
  };

  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    // Nothing in a body is read: the page's form posts an empty urlencoded one, a client may send
    // `{}` or nothing. Any type is taken (and dropped) up to 1 KiB.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) => done(null, null));

    scope.get(
      '/a/:token',
      {
        config: { auth: false },
        schema: {
          tags: ['incidents'],
          summary: 'A one-click link from a page: an HTML page that asks to confirm (changes nothing; public, the token is the credential)',
          security: [],
          params: Params,
          response: { 200: Type.String({ description: 'text/html' }) },
        },
      },
      async (request, reply) => {
        let t: LinkTarget;
        try {
          t = await openActionLink(deps0(request), request.params.token);
        } catch (e) {
          return refusal(reply, request, toDomainError(e));
        }
        const { verb, past } = VERB[t.action];
        const status = `<p class="status">Status now: <strong>${t.incident.status}</strong> · ${t.incident.urgency} urgency</p>`;
        if (t.alreadyDone) {
          return html(reply, 200, `Incident #${t.incident.number} already ${t.incident.status}`, `<h1>Incident ${about(t)} is already ${t.incident.status}</h1>${status}<p>There is nothing left to ${t.action}.</p>${footer(t.incident.number)}`);
        }
        return html(
          reply,
          200,
          `${verb} incident #${t.incident.number}?`,
          `<h1>${verb} incident ${about(t)}?</h1>${status}
<form method="post"><button type="submit">${verb} #${t.incident.number}</button></form>
<p class="note">This is done as ${h(t.user.name)}, who was paged; the incident is ${past} for everyone${t.action === 'acknowledge' ? ' and nobody else is paged for it' : ''}. The link works until ${h(t.expiresAt.toISOString().replace('T', ' ').replace('.000Z', ' UTC'))}.</p>
${footer(t.incident.number)}`,
        );
      },
    );

    scope.post(
      '/a/:token',
      {
        config: { auth: false },
        schema: {
          tags: ['incidents'],
          summary: "Use a one-click link: acknowledge or resolve the incident as the person paged. HTML for the page's button; JSON with Accept: application/json",
          security: [],
          params: Params,
          response: { 200: Outcome, ...errorResponses(400, 403, 404, 410, 429) },
        },
      },
      async (request, reply) => {
        const json = /application\/json/i.test(request.headers.accept ?? '');
        try {
          const { incident, action, result } = await useActionLink(deps0(request), request.params.token);
          if (json) return reply.send({ incident: { id: incident.id, number: incident.number, status: incident.status }, action, result });
          const { past } = VERB[action];
          const title = result === 'done' ? `Incident #${incident.number} ${past}` : `Incident #${incident.number} was already ${incident.status}`;
          const said = result === 'done' ? (action === 'acknowledge' ? '<p>Its escalation has stopped: nobody else is paged for it.</p>' : '<p>Its alerts are resolved and its escalation has stopped.</p>') : `<p>Nothing changed: it was already ${incident.status}.</p>`;
          return html(reply, 200, title, `<h1>${result === 'done' ? `Incident ${about({ incident })} ${past}` : `Incident ${about({ incident })} was already ${incident.status}`}</h1>${said}${footer(incident.number)}`);
        } catch (e) {
          if (json) throw e;
          return refusal(reply, request, toDomainError(e));
        }
      },
    );
  });
}
