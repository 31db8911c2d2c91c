/**
 * A token bucket per integration key: `perMinute` events a minute on average, bursts up to one
 * minute's worth. In memory, per node (as PagerDuty's and Opsgenie's limits are per key, not
 * global); a 429 carries the seconds until one more event fits.
 */
export interface KeyRateLimiter {
  /** null when allowed; else the seconds to wait. `cost` is how many events the request carries. */
  take(key: string, nowMs: number, cost?: number): number | null;
}

export function createKeyRateLimiter(perMinute: number, maxKeys = 100_000): KeyRateLimiter {
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, nowMs, cost = 1) {
      let b = buckets.get(key);
      if (!b) {
        // Forget the oldest buckets rather than grow without bound under a flood of made-up keys.
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
        b = { tokens: perMinute, at: nowMs };
        buckets.set(key, b);
      }
      b.tokens = Math.min(perMinute, b.tokens + (nowMs - b.at) * perMs);
      b.at = nowMs;
      const need = Math.min(cost, perMinute);
      if (b.tokens >= need) {
        b.tokens -= need;
        return null;
      }
      return Math.max(1, Math.ceil((need - b.tokens) / perMs / 1000));
    },
  };
}
