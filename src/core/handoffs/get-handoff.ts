import { type Incident, listIncidents } from '../incidents/index.ts';
import { listMaintenanceWindows, type MaintenanceWindow } from '../noise/index.ts';
import { getUserShifts, type UserRef, type UserShift } from '../schedules/index.ts';
import { actorUserId, can, type Ctx } from '../shared/context.ts';
import { forbidden } from '../shared/errors.ts';
import { HANDOFF_DAYS, pickShifts } from './handoff.ts';

const DAY_MS = 86_400_000;
/** The incidents endpoint's page size: the report lists at most this many of each kind. */
const MAX_INCIDENTS = 200;

export interface Handoff {
  user: UserRef;
  at: string;
  currentShift: UserShift | null;
  nextShift: UserShift | null;
  previousShift: UserShift | null;
  /** Triggered or acknowledged incidents of every service (services are not linked to schedules yet), newest first. */
  openIncidents: Incident[];
  /** Incidents created during the previous shift, newest first; empty when there was none. */
  incidentsDuringPreviousShift: Incident[];
  /** Maintenance windows active now or still to come, soonest first. */
  maintenanceWindows: MaintenanceWindow[];
}

/**
 * What someone taking over (or handing over) on-call needs on one page. A person reads their own;
 * an admin reads anyone's. Read only, so nothing is audited.
 */
export async function getHandoff(ctx: Ctx, userId: string): Promise<Handoff> {
  if (actorUserId(ctx.actor) !== userId && !can(ctx.actor, 'admin')) throw forbidden("Only the user themselves or an admin may read a user's handoff report.");
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - HANDOFF_DAYS * DAY_MS).toISOString();
  const to = new Date(now.getTime() + HANDOFF_DAYS * DAY_MS).toISOString();
  const { user, shifts } = await getUserShifts(ctx, userId, from, to);
  const { current, next, previous } = pickShifts(shifts, now);
  const open = await listIncidents(ctx, { status: ['triggered', 'acknowledged'], limit: MAX_INCIDENTS });
  const during = previous
    ? await listIncidents(ctx, { createdFrom: new Date(previous.start), createdBefore: new Date(previous.end), limit: MAX_INCIDENTS })
    : { incidents: [] };
  const active = await listMaintenanceWindows(ctx, { state: 'active', limit: 100 });
  const upcoming = await listMaintenanceWindows(ctx, { state: 'upcoming', limit: 100 });
  return {
    user,
    at: now.toISOString(),
    currentShift: current,
    nextShift: next,
    previousShift: previous,
    openIncidents: open.incidents,
    incidentsDuringPreviousShift: during.incidents,
    maintenanceWindows: [...active, ...upcoming],
  };
}
