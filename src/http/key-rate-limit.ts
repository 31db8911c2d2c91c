/**
 * A token bucket per integration key: `perMinute` events a minute on average, bursts up to one
 * minute's worth; a 429 carries the seconds until one more event fits. The buckets live in memory;
 * on PostgreSQL the nodes tell each other what they accepted (`shareKeyRateLimits`), so the limit
 * holds for the deployment, not per node.
 */
export interface KeyRateLimiter {
  /** null when allowed; else the seconds to wait. `cost` is how many events the request carries. */
  take(key: string, nowMs: number, cost?: number): number | null;
  /** Counts events another node accepted for `key`: they use this node's budget too. */
  spend(key: string, nowMs: number, cost: number): void;
}

export function createKeyRateLimiter(perMinute: number, maxKeys = 100_000): KeyRateLimiter {
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const bucket = (key: string, nowMs: number) => {
    let b = buckets.get(key);
    if (!b) {
      // Forget the oldest buckets rather than grow without bound under a flood of made-up keys.
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
      b = { tokens: perMinute, at: nowMs };
      buckets.set(key, b);
    }
    b.tokens = Math.min(perMinute, b.tokens + Math.max(0, nowMs - b.at) * perMs);
    b.at = Math.max(b.at, nowMs);
    return b;
  };
  return {
    spend(key, nowMs, cost) {
      const b = bucket(key, nowMs);
      // In debt at most one minute's worth: a burst elsewhere delays this node, never for long.
      b.tokens = Math.max(-perMinute, b.tokens - cost);
    },
    take(key, nowMs, cost = 1) {
      const b = bucket(key, nowMs);
      const need = Math.min(cost, perMinute);
      if (b.tokens >= need) {
        b.tokens -= need;
        return null;
      }
      return Math.max(1, Math.ceil((need - b.tokens) / perMs / 1000));
    },
  };
}
