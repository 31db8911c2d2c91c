import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per app instance, so tests can build many apps in one process. */
export function createMetrics(options: { stalledPages?: () => Promise<number> } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vigil_' });
  const requests = new Counter({
    name: 'vigil_http_requests_total',
    help: 'HTTP requests answered, by route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'vigil_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const { stalledPages } = options;
  if (stalledPages) {
    new Gauge({
      name: 'vigil_paging_stalled_incidents',
      help: 'Triggered incidents whose escalation step or page is neither done nor pending (the auditor; alert on > 0)',
      registers: [registry],
      async collect() {
        this.set(await stalledPages());
      },
    });
  }
  return { registry, requests, duration };
}
export type Metrics = ReturnType<typeof createMetrics>;
