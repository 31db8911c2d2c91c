import { authorize, type Ctx } from '../shared/context.ts';
import type { Silence, SilenceState } from './noise.ts';
import { listSilences as selectSilences } from './store.ts';

/** Silences with their state at the clock's now: active, then pending, then expired. */
export async function listSilences(ctx: Ctx, query: { state?: SilenceState | undefined; limit?: number | undefined }): Promise<Silence[]> {
  authorize(ctx.actor, 'read');
  return selectSilences(ctx.db, { state: query.state, limit: Math.min(Math.max(query.limit ?? 100, 1), 500) }, ctx.clock.now());
}
