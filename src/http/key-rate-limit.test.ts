import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKeyRateLimiter } from './key-rate-limit.ts';

describe('per-key rate limit', () => {
  it('allows a minute of events at once, then refuses with the seconds until one more fits', () => {
    const limiter = createKeyRateLimiter(60);
    for (let i = 0; i < 60; i++) assert.equal(limiter.take('k', 0), null);
    assert.equal(limiter.take('k', 0), 1);
    assert.equal(limiter.take('k', 1000), null, 'one token a second refills');
    assert.equal(limiter.take('k', 1000), 1);
  });

  it('keeps keys apart', () => {
    const limiter = createKeyRateLimiter(1);
    assert.equal(limiter.take('a', 0), null);
    assert.notEqual(limiter.take('a', 0), null);
    assert.equal(limiter.take('b', 0), null);
  });

  it('charges a request for each event it carries', () => {
    const limiter = createKeyRateLimiter(10);
    assert.equal(limiter.take('k', 0, 8), null);
    assert.equal(limiter.take('k', 0, 3), 6, 'one token is 6 s at 10 a minute; 1 more is missing');
  });

  it('forgets the oldest key when full instead of growing', () => {
    const limiter = createKeyRateLimiter(1, 2);
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 0);
    assert.equal(limiter.take('a', 0), null, '"a" was forgotten, so it starts with a full bucket');
  });
});
