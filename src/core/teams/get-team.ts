import type { Role } from '../../storage/schema.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import { findTeamById, listTeamMembers, type Team } from './store.ts';

export interface TeamMember {
  id: string;
  name: string;
  email: string;
  role: Role;
}

/** A team and who is in it. */
export async function getTeam(ctx: Ctx, id: string): Promise<{ team: Team; members: TeamMember[] }> {
  authorize(ctx.actor, 'read');
  const team = await findTeamById(ctx.db, id);
  if (!team) throw notFound('team', id);
  return { team, members: await listTeamMembers(ctx.db, id) };
}
