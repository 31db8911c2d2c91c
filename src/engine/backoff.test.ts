import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_BACKOFF, retryDelayMs } from './backoff.ts';

describe('retryDelayMs', () => {
  const opts = { baseMs: 1_000, maxMs: 60_000, jitter: 0.5 };
  const cases: Array<[attempt: number, random: number, expected: number]> = [
    [1, 0, 1_000],
    [2, 0, 2_000],
    [3, 0, 4_000],
    [6, 0, 32_000],
    [7, 0, 60_000], // 64 s capped at 60 s
    [50, 0, 60_000],
    [2000, 0, 60_000], // no overflow to Infinity/NaN
    [1, 0.5, 1_250],
    [1, 0.999, 1_500], // rounds; never more than (1 + jitter) × delay
    [7, 0.999, 89_970],
    [0, 0, 1_000], // defensive: attempt below 1 behaves like the first
  ];
  for (const [attempt, random, expected] of cases) {
    it(`waits ${expected} ms after attempt ${attempt} with random ${random}`, () => {
      assert.equal(retryDelayMs(attempt, random, opts), expected);
    });
  }

  it('grows monotonically for a fixed random value until the cap', () => {
    let previous = 0;
    for (let attempt = 1; attempt <= 20; attempt++) {
      const d = retryDelayMs(attempt, 0.3, DEFAULT_BACKOFF);
      assert.ok(d >= previous, `attempt ${attempt}: ${d} < ${previous}`);
      assert.ok(d <= DEFAULT_BACKOFF.maxMs * (1 + DEFAULT_BACKOFF.jitter));
      previous = d;
    }
  });
});
