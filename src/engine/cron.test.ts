import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cronKey, cronSlotTime, nextCronSlot, parseCronKey, validateCronEntry } from './cron.ts';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

describe('nextCronSlot', () => {
  const cases: Array<[title: string, now: string, finished: number | undefined, expected: string]> = [
    ['starts a new chain at the next boundary', '2026-01-05T09:20:00Z', undefined, '2026-01-05T10:00:00Z'],
    ['starts at the following boundary when exactly on one', '2026-01-05T09:00:00Z', undefined, '2026-01-05T10:00:00Z'],
    ['continues with the next slot after an on-time run', '2026-01-05T10:00:05Z', slotOf('2026-01-05T10:00:00Z'), '2026-01-05T11:00:00Z'],
    ['skips missed slots and runs the current one once after downtime', '2026-01-05T13:30:00Z', slotOf('2026-01-05T10:00:00Z'), '2026-01-05T13:00:00Z'],
    ['never repeats the finished slot', '2026-01-05T10:59:59Z', slotOf('2026-01-05T10:00:00Z'), '2026-01-05T11:00:00Z'],
  ];
  for (const [title, now, finished, expected] of cases) {
    it(title, () => {
      assert.equal(cronSlotTime(HOUR, nextCronSlot(HOUR, at(now), finished)).toISOString(), at(expected).toISOString());
    });
  }
  function slotOf(iso: string) {
    return at(iso).getTime() / HOUR;
  }
});

describe('cron keys and entries', () => {
  it('round-trips a key', () => {
    assert.equal(cronKey('heartbeat-check', 42), 'cron:heartbeat-check:42');
    assert.deepEqual(parseCronKey('cron:heartbeat-check:42'), { name: 'heartbeat-check', slot: 42 });
  });
  it('does not take ordinary keys for cron keys', () => {
    assert.equal(parseCronKey('escalation:42'), null);
    assert.equal(parseCronKey(null), null);
    assert.equal(parseCronKey('cron:x:abc'), null);
  });
  it('rejects intervals under a second and names outside the key alphabet', () => {
    assert.throws(() => validateCronEntry({ name: 'x', everyMs: 999, kind: 'a.b' }), /everyMs/);
    assert.throws(() => validateCronEntry({ name: 'Bad Name', everyMs: 60_000, kind: 'a.b' }), /Cron name/);
  });
});
