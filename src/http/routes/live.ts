import { EventEmitter } from 'node:events';
import { ALERTS_CHANNEL } from '../../core/alerts/index.ts';
import { authorize } from '../../core/shared/context.ts';
import type { App, AppDeps } from '../app.ts';
import { ctxOf } from '../auth.ts';

const KEEPALIVE_MS = 25_000;
/** At most one "look again" per connection in this window, however fast alerts arrive. */
const COALESCE_MS = 500;

/**
 * Server-sent events for live views: `event: alerts` whenever alerts change on any node (one
 * LISTEN per process, fanned out here). The event carries no data: clients refetch what they show,
 * through the same permission checks as every other read.
 */
export function registerLiveRoutes(api: App, deps: AppDeps): void {
  const hub = new EventEmitter();
  hub.setMaxListeners(0);
  let listening: Promise<() => Promise<void>> | undefined;
  const ensureListening = () => (listening ??= deps.database.listen(ALERTS_CHANNEL, () => hub.emit('alerts')));
  api.addHook('onClose', async () => {
    if (listening) await (await listening)().catch(() => {});
  });

  api.get('/stream', { schema: { tags: ['alerts'], summary: 'Server-sent events: "alerts" when alerts change (refetch on it)', produces: ['text/event-stream'] } }, async (request, reply) => {
    authorize(ctxOf(deps, request).actor, 'read');
    await ensureListening();
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 3000\n\n');
    let timer: NodeJS.Timeout | undefined;
    const onAlerts = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        res.write('event: alerts\ndata: {}\n\n');
      }, COALESCE_MS);
    };
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    hub.on('alerts', onAlerts);
    request.raw.on('close', () => {
      hub.off('alerts', onAlerts);
      clearInterval(keepalive);
      if (timer) clearTimeout(timer);
    });
  });
}
