import { listOnCallPeople, type OnCallPerson } from '../schedules/index.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { contactsOf, type Readiness } from '../contacts/index.ts';

export const READINESS_DAYS = 7;

export interface PersonReadiness extends OnCallPerson {
  readiness: Readiness;
}

/**
 * Everyone on call in the next week, each with whether they can be paged: a person on call with
 * no verified method behind a high-urgency rule is found now, not when the page goes nowhere.
 * Readable by everyone (no addresses, only what is missing).
 */
export async function listReadiness(ctx: Ctx): Promise<{ from: string; to: string; people: PersonReadiness[] }> {
  authorize(ctx.actor, 'read');
  const from = ctx.clock.now();
  const to = new Date(from.getTime() + READINESS_DAYS * 86_400_000);
  const people = await listOnCallPeople(ctx, from, to);
  const readiness = await contactsOf(ctx.db, people.map((p) => p.user.id));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    people: people.map((p) => ({ ...p, readiness: readiness.get(p.user.id)! })),
  };
}
