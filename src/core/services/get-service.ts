import { authorize, can, type Ctx } from '../shared/context.ts';
import { notFound } from '../shared/errors.ts';
import type { Service } from './service.ts';
import { findService } from './store.ts';

export async function getService(ctx: Ctx, id: string): Promise<Service> {
  authorize(ctx.actor, 'read');
  const service = await findService(ctx.db, id, can(ctx.actor, 'write'));
  if (!service) throw notFound('service', id);
  return service;
}
