export interface BackoffOptions {
  /** Delay after the first failed attempt. */
  baseMs: number;
  /** No retry waits longer than this (before jitter). */
  maxMs: number;
  /** Extra random delay as a fraction of the delay: 0.25 means up to 25% later. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 5_000, maxMs: 60 * 60_000, jitter: 0.25 };

/**
 * How long to wait before retrying after failed attempt number `attempt` (1-based): doubling from
 * `baseMs`, capped at `maxMs`, then stretched by up to `jitter` so jobs that failed together (a
 * downstream outage) do not all retry in the same instant. Pure: `random` in [0, 1) is an input.
 */
export function retryDelayMs(attempt: number, random: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 52)); // 2^52 already exceeds any cap
  const capped = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(capped * (1 + options.jitter * Math.min(Math.max(random, 0), 1)));
}
