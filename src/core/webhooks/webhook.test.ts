import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkEvents, checkUrl, MAX_RETRY_AFTER_MS, retryable, retryAfterMs, signatureHeader } from './webhook.ts';

describe('webhook rules', () => {
  it('accepts http(s) URLs up to 2048 characters without credentials', () => {
    assert.equal(checkUrl('https://hooks.example.com/x?token=1'), null);
    assert.equal(checkUrl('http://10.0.0.1:9000/'), null);
    assert.match(checkUrl('ftp://example.com/')!.reason, /http or https/);
    assert.match(checkUrl('/relative')!.reason, /absolute/);
    assert.match(checkUrl('https://a:b@example.com/')!.reason, /user name or password/);
    assert.match(checkUrl('https://u@example.com/')!.reason, /user name or password/);
    assert.match(checkUrl(`https://example.com/${'a'.repeat(2030)}`)!.reason, /2048/);
  });

  it('knows the event types', () => {
    assert.equal(checkEvents(['incident.triggered', 'incident.note_added']), null);
    assert.match(checkEvents([])!.reason, /at least one/);
    assert.match(checkEvents(['incident.triggered', 'vigil.ping'])!.reason, /unknown event type vigil\.ping/);
  });

  it('signs "<t>.<raw body>" with HMAC-SHA256, one v1 per secret', () => {
    const body = '{"id":"e1"}';
    const header = signatureHeader(['s1', 's0'], 1772420400, body);
    const hmac = (s: string) => createHmac('sha256', s).update(`1772420400.${body}`).digest('hex');
    assert.equal(header, `t=1772420400,v1=${hmac('s1')},v1=${hmac('s0')}`);
    // A known vector, so the scheme cannot drift unnoticed.
    assert.equal(signatureHeader(['secret'], 1, '{}'), `t=1,v1=${createHmac('sha256', 'secret').update('1.{}').digest('hex')}`);
  });

  it('retries network errors, 408, 429 and 5xx only', () => {
    assert.deepEqual([null, 408, 429, 500, 503, 400, 401, 404, 410, 302].map(retryable), [true, true, true, true, true, false, false, false, false, false]);
  });

  it('reads Retry-After as seconds or an HTTP date, ignoring junk and waits over an hour', () => {
    const now = new Date('2026-03-02T03:00:00Z');
    assert.equal(retryAfterMs('120', now), 120_000);
    assert.equal(retryAfterMs('Mon, 02 Mar 2026 03:05:00 GMT', now), 300_000);
    assert.equal(retryAfterMs(null, now), null);
    assert.equal(retryAfterMs('soon', now), null);
    assert.equal(retryAfterMs(String(MAX_RETRY_AFTER_MS / 1000 + 1), now), null);
    assert.equal(retryAfterMs('Mon, 02 Mar 2026 02:00:00 GMT', now), null);
  });
});
