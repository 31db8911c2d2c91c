import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkInterval, decideCheck, describeInterval, dueAt, isWellFormedKey, newHeartbeatKey } from './heartbeat.ts';
import { missedSignal, resolvedSignal } from './signals.ts';

const at = (iso: string) => new Date(iso);
const created = at('2026-01-05T09:00:00Z');

describe('heartbeat rules', () => {
  it('describes intervals in words, largest units first', () => {
    const cases: [number, string][] = [
      [30, '30 seconds'],
      [60, '1 minute'],
      [90, '1 minute 30 seconds'],
      [300, '5 minutes'],
      [3_600, '1 hour'],
      [3_660, '1 hour 1 minute'],
      [86_400, '1 day'],
      [90_000, '1 day 1 hour'],
      [604_800, '7 days'],
      [0, '0 seconds'],
    ];
    for (const [seconds, words] of cases) assert.equal(describeInterval(seconds), words, String(seconds));
  });

  it('accepts whole intervals from 30 seconds to 7 days, naming the field otherwise', () => {
    for (const ok of [30, 60, 604_800]) assert.equal(checkInterval(ok), null, String(ok));
    for (const bad of [0, 29, 604_801, 59.5, -60]) assert.equal(checkInterval(bad)?.field, 'intervalSeconds', String(bad));
  });

  it('is due one interval after the last ping, or after creation when never pinged', () => {
    assert.deepEqual(dueAt({ intervalSeconds: 300, lastPingAt: null, createdAt: created }), at('2026-01-05T09:05:00Z'));
    assert.deepEqual(dueAt({ intervalSeconds: 300, lastPingAt: at('2026-01-05T10:00:00Z'), createdAt: created }), at('2026-01-05T10:05:00Z'));
  });

  it('alarms when the ping is late (due exactly now counts), waits otherwise, and does nothing once down', () => {
    const h = { intervalSeconds: 300, lastPingAt: at('2026-01-05T10:00:00Z'), createdAt: created };
    const due = at('2026-01-05T10:05:00Z');
    const cases: [string, Parameters<typeof decideCheck>[0], string, ReturnType<typeof decideCheck>][] = [
      ['up, before due', { ...h, status: 'up' }, '2026-01-05T10:04:59Z', { action: 'wait', until: due }],
      ['up, exactly due', { ...h, status: 'up' }, '2026-01-05T10:05:00Z', { action: 'alarm', dueAt: due }],
      ['up, long overdue', { ...h, status: 'up' }, '2026-01-06T00:00:00Z', { action: 'alarm', dueAt: due }],
      ['pending, never pinged, due', { ...h, lastPingAt: null, status: 'pending' }, '2026-01-05T09:05:00Z', { action: 'alarm', dueAt: at('2026-01-05T09:05:00Z') }],
      ['pending, before due', { ...h, lastPingAt: null, status: 'pending' }, '2026-01-05T09:01:00Z', { action: 'wait', until: at('2026-01-05T09:05:00Z') }],
      ['down, overdue', { ...h, status: 'down' }, '2026-01-06T00:00:00Z', { action: 'none' }],
    ];
    for (const [name, heartbeat, now, expected] of cases) assert.deepEqual(decideCheck(heartbeat, at(now)), expected, name);
  });

  it('makes 32-character [a-z0-9] keys and recognises only those', () => {
    const key = newHeartbeatKey();
    assert.match(key, /^[a-z0-9]{32}$/);
    assert.notEqual(newHeartbeatKey(), key);
    assert.ok(isWellFormedKey(key));
    for (const bad of ['', key.slice(1), `${key}a`, key.toUpperCase(), `${key.slice(1)}-`]) assert.ok(!isWellFormedKey(bad), bad);
  });

  it('raises a critical alert keyed by the heartbeat, and resolves by the same key', () => {
    const h = { id: 'h1', name: 'nightly backup', intervalSeconds: 86_400, lastPingAt: null };
    const signal = missedSignal(h, at('2026-01-06T09:00:00Z'), at('2026-01-06T09:00:01Z'));
    assert.equal(signal.sender, 'heartbeat');
    assert.equal(signal.action, 'trigger');
    assert.equal(signal.dedupKey, 'heartbeat:h1');
    assert.equal(signal.summary, 'Heartbeat "nightly backup" missed: no ping for 1 day');
    assert.equal(signal.severity, 'critical');
    assert.deepEqual(signal.labels, { heartbeat: 'nightly backup' });
    assert.deepEqual(signal.timestamp, at('2026-01-06T09:00:00Z'));
    assert.match(signal.description ?? '', /never been pinged/);
    const resolve = resolvedSignal(h, 'ping', at('2026-01-06T10:00:00Z'));
    assert.equal(resolve.action, 'resolve');
    assert.equal(resolve.dedupKey, 'heartbeat:h1');
  });
});
