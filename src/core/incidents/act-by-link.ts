import { type LinkAction, type LinkClaims, linkSecret, verifyLink } from '../action-links/index.ts';
import type { Clock } from '../shared/clock.ts';
import { type Actor, can, type Tx } from '../shared/context.ts';
import { DomainError, forbidden, isDomainError, validationError } from '../shared/errors.ts';
import { acknowledgeIncident, findIncidentByRef, resolveIncident } from './change-incident.ts';
import type { Incident } from './incident.ts';
import { findLinkUser } from './store.ts';

/** What a valid link is about, for its confirmation page. */
export interface LinkTarget {
  incident: Incident;
  action: LinkAction;
  user: { id: string; name: string };
  expiresAt: Date;
  /** Nothing left to do: an acknowledge link on an incident no longer triggered, a resolve link on a resolved one. */
  alreadyDone: boolean;
}

export interface LinkOutcome {
  incident: Incident;
  action: LinkAction;
  /** `done`: this request changed the incident; `already`: it was already acknowledged or resolved. */
  result: 'done' | 'already';
}

interface LinkDeps {
  db: Tx;
  clock: Clock;
  requestId?: string;
}

const isDone = (action: LinkAction, incident: Incident) => (action === 'acknowledge' ? incident.status !== 'triggered' : incident.status === 'resolved');

/**
 * The link's claims and the person it acts as, or the refusal: VALIDATION for a token that is not
 * ours or was altered, EXPIRED (naming the incident, whose id the valid signature vouches for),
 * FORBIDDEN when the person paged is gone or may no longer change incidents.
 */
async function check(deps: LinkDeps, token: string): Promise<{ claims: LinkClaims; actor: Actor & { type: 'user' }; incident: Incident }> {
  const verdict = verifyLink(await linkSecret(deps.db, deps.clock), token, deps.clock.now());
  if (!verdict.ok) {
    if (verdict.reason === 'expired' && verdict.claims) {
      const incident = await findIncidentByRef(deps.db, verdict.claims.incidentId).catch(() => null);
      throw new DomainError('EXPIRED', `This link expired at ${verdict.claims.expiresAt.toISOString()}; open the incident in Vigil instead.`, {
        expiresAt: verdict.claims.expiresAt.toISOString(),
        incident: incident ? { id: incident.id, number: incident.number } : null,
      });
    }
    throw validationError([{ field: 'params.token', reason: verdict.reason === 'malformed' ? 'is not a Vigil link' : 'has been altered or was not signed by this Vigil' }], 'This link is not valid.');
  }
  const { claims } = verdict;
  const user = await findLinkUser(deps.db, claims.userId);
  if (!user) throw forbidden('The person this link was sent to no longer has an account.');
  const actor = { type: 'user' as const, id: user.id, name: user.name, role: user.role };
  if (!can(actor, 'write')) throw forbidden(`${user.name} may no longer change incidents (role ${user.role}).`);
  return { claims, actor, incident: await findIncidentByRef(deps.db, claims.incidentId) };
}

/** For the confirmation page (GET): what the link would do, changing nothing. */
export async function openActionLink(deps: LinkDeps, token: string): Promise<LinkTarget> {
  const { claims, actor, incident } = await check(deps, token);
  return { incident, action: claims.action, user: { id: actor.id, name: actor.name }, expiresAt: claims.expiresAt, alreadyDone: isDone(claims.action, incident) };
}

/**
 * The link's action, as the person paged: through the same verbs as the API, so the escalation
 * stops the same way, and the audit row names the person and `via: "link"` with the page's id.
 * Idempotent: a second use (or one after someone else acted) answers `already`, not an error.
 */
export async function useActionLink(deps: LinkDeps, token: string): Promise<LinkOutcome> {
  const { claims, actor, incident } = await check(deps, token);
  if (isDone(claims.action, incident)) return { incident, action: claims.action, result: 'already' };
  const ctx = { db: deps.db, clock: deps.clock, actor, ...(deps.requestId ? { requestId: deps.requestId } : {}) };
  const via = { type: 'link' as const, notificationId: claims.notificationId };
  try {
    const { incident: after, changed } = await (claims.action === 'acknowledge' ? acknowledgeIncident(ctx, incident.id, via) : resolveIncident(ctx, incident.id, via));
    return { incident: after, action: claims.action, result: changed.length ? 'done' : 'already' };
  } catch (e) {
    // Resolved by someone else between the read and the change: the acknowledge has nothing to do.
    if (isDomainError(e) && e.code === 'PRECONDITION_FAILED') return { incident: await findIncidentByRef(deps.db, incident.id), action: claims.action, result: 'already' };
    throw e;
  }
}
