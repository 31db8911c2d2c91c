import { authorize, type Ctx } from '../shared/context.ts';
import { listTeams as selectTeams, type Team } from './store.ts';

export async function listTeams(ctx: Ctx): Promise<Team[]> {
  authorize(ctx.actor, 'read');
  return selectTeams(ctx.db);
}
