import { authorize, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { Silence } from './noise.ts';
import { findSilence } from './store.ts';

export async function getSilence(ctx: Ctx, id: string): Promise<Silence> {
  authorize(ctx.actor, 'read');
  const silence = await findSilence(ctx.db, id, ctx.clock.now());
  if (!silence) throw notFound('silence', id);
  return silence;
}
