import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UserShift } from '../schedules/index.ts';
import { pickShifts } from './handoff.ts';

const shift = (name: string, start: string, end: string): UserShift => ({ schedule: { id: name, name, timeZone: 'UTC' }, start, end });
const A = shift('a', '2026-03-01T09:00:00.000Z', '2026-03-02T09:00:00.000Z');
const B = shift('b', '2026-03-02T12:00:00.000Z', '2026-03-02T18:00:00.000Z');
const C = shift('c', '2026-03-03T09:00:00.000Z', '2026-03-04T09:00:00.000Z');
const LONG = shift('long', '2026-02-20T00:00:00.000Z', '2026-03-02T10:00:00.000Z');

describe('pickShifts', () => {
  const cases: { name: string; shifts: UserShift[]; now: string; current: UserShift | null; next: UserShift | null; previous: UserShift | null }[] = [
    { name: 'between shifts', shifts: [A, B, C], now: '2026-03-02T10:00:00Z', current: null, next: B, previous: A },
    { name: 'inside a shift: the next one is after it', shifts: [A, B, C], now: '2026-03-02T13:00:00Z', current: B, next: C, previous: A },
    { name: 'at a shift start, it is current', shifts: [A, B, C], now: '2026-03-02T12:00:00Z', current: B, next: C, previous: A },
    { name: 'at a shift end, it is previous', shifts: [A, B, C], now: '2026-03-02T18:00:00Z', current: null, next: C, previous: B },
    { name: 'no shifts at all', shifts: [], now: '2026-03-02T10:00:00Z', current: null, next: null, previous: null },
    { name: 'only past shifts', shifts: [A], now: '2026-03-05T00:00:00Z', current: null, next: null, previous: A },
    { name: 'the previous shift is the one that ended last, not the one that started last', shifts: [LONG, A, B], now: '2026-03-02T11:00:00Z', current: null, next: B, previous: LONG },
    { name: 'overlapping schedules: the earliest-started is current', shifts: [LONG, A], now: '2026-03-02T08:00:00Z', current: LONG, next: null, previous: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(pickShifts(c.shifts, new Date(c.now)), { current: c.current, next: c.next, previous: c.previous });
    });
  }
});
