import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import type { Layer, Restriction, RotationUnit } from './schedule.ts';
import { layerShifts, resolveWallClock } from './schedule-math.ts';

// Every expected instant below is written by hand from the published transitions
// (New York: 2nd Sunday of March 02:00 → 03:00, 1st Sunday of November 02:00 → 01:00;
// London: last Sunday of March 01:00 → 02:00, last Sunday of October 02:00 → 01:00;
// Sydney: 1st Sunday of October 02:00 → 03:00, 1st Sunday of April 03:00 → 02:00;
// Lord Howe: same days, 02:00 → 02:30 and 02:00 → 01:30 (+10:30/+11:00);
// Chatham: last Sunday of September 02:45 → 03:45, 1st Sunday of April 03:45 → 02:45 (+12:45/+13:45);
// Kolkata: +05:30 all year), never computed with the code under test.

const NY = 'America/New_York';
const LONDON = 'Europe/London';
const SYDNEY = 'Australia/Sydney';
const LORD_HOWE = 'Australia/Lord_Howe';
const KOLKATA = 'Asia/Kolkata';
const CHATHAM = 'Pacific/Chatham';

const utc = (instant: string) => new Date(instant).toISOString();

function layer(unit: RotationUnit, length: number, date: string, time: string, participants = ['a', 'b'], restrictions?: Restriction[]): Layer {
  return { id: 'l1', name: 'Primary', participants, rotation: { unit, length }, handoff: { date, time }, start: '2000-01-01T00:00:00Z', ...(restrictions ? { restrictions } : {}) };
}

/** The shifts as [user, start, end] with the expectations normalised to UTC. */
function shiftsOf(l: Layer, zone: string, from: string, to: string): [string, string, string][] {
  return layerShifts(l, new Date(from), new Date(to), zone).map((s) => [s.userId, s.start, s.end]);
}
const expected = (rows: [string, string, string][]) => rows.map(([u, s, e]) => [u, utc(s), utc(e)]);
const hours = (start: string, end: string) => (Date.parse(end) - Date.parse(start)) / 3_600_000;

describe('wall-clock times in a DST gap or overlap', () => {
  const cases: [string, string, string, string, string][] = [
    // zone, local date, local time, expected instant, why
    [NY, '2026-03-08', '02:30', '2026-03-08T03:00:00-04:00', 'a skipped time is the first instant after the gap'],
    [NY, '2026-03-08', '02:00', '2026-03-08T03:00:00-04:00', 'the first skipped minute'],
    [NY, '2026-03-08', '02:59', '2026-03-08T03:00:00-04:00', 'the last skipped minute'],
    [NY, '2026-03-08', '01:59', '2026-03-08T01:59:00-05:00', 'the minute before the gap exists'],
    [NY, '2026-03-08', '03:00', '2026-03-08T03:00:00-04:00', 'the end of the gap exists'],
    [NY, '2026-11-01', '01:30', '2026-11-01T01:30:00-04:00', 'a repeated time is its first occurrence (EDT)'],
    [NY, '2026-11-01', '01:00', '2026-11-01T01:00:00-04:00', 'the first repeated minute'],
    [NY, '2026-11-01', '01:59', '2026-11-01T01:59:00-04:00', 'the last repeated minute'],
    [NY, '2026-11-01', '02:00', '2026-11-01T02:00:00-05:00', 'the end of the overlap happens once'],
    [NY, '2025-03-09', '02:30', '2025-03-09T03:00:00-04:00', '2025 gap'],
    [NY, '2025-11-02', '01:30', '2025-11-02T01:30:00-04:00', '2025 overlap'],
    [NY, '2027-03-14', '02:30', '2027-03-14T03:00:00-04:00', '2027 gap'],
    [NY, '2027-11-07', '01:30', '2027-11-07T01:30:00-04:00', '2027 overlap'],
    [NY, '2028-03-12', '02:30', '2028-03-12T03:00:00-04:00', '2028 gap'],
    [NY, '2028-11-05', '01:30', '2028-11-05T01:30:00-04:00', '2028 overlap'],
    [LONDON, '2026-03-29', '01:30', '2026-03-29T02:00:00+01:00', 'London gap 01:00–02:00'],
    [LONDON, '2025-03-30', '01:00', '2025-03-30T02:00:00+01:00', 'London 2025 gap'],
    [LONDON, '2028-03-26', '01:59', '2028-03-26T02:00:00+01:00', 'London 2028 gap'],
    [LONDON, '2026-10-25', '01:30', '2026-10-25T01:30:00+01:00', 'London overlap: BST first'],
    [LONDON, '2027-10-31', '01:00', '2027-10-31T01:00:00+01:00', 'London 2027 overlap'],
    [SYDNEY, '2026-10-04', '02:30', '2026-10-04T03:00:00+11:00', 'Sydney gap 02:00–03:00'],
    [SYDNEY, '2027-10-03', '02:00', '2027-10-03T03:00:00+11:00', 'Sydney 2027 gap'],
    [SYDNEY, '2026-04-05', '02:30', '2026-04-05T02:30:00+11:00', 'Sydney overlap 02:00–03:00: AEDT first'],
    [SYDNEY, '2028-04-02', '02:00', '2028-04-02T02:00:00+11:00', 'Sydney 2028 overlap'],
    [LORD_HOWE, '2026-10-04', '02:15', '2026-10-04T02:30:00+11:00', 'Lord Howe 30-minute gap 02:00–02:30'],
    [LORD_HOWE, '2025-10-05', '02:00', '2025-10-05T02:30:00+11:00', 'Lord Howe 2025 gap'],
    [LORD_HOWE, '2028-10-01', '02:29', '2028-10-01T02:30:00+11:00', 'Lord Howe 2028 gap'],
    [LORD_HOWE, '2026-04-05', '01:45', '2026-04-05T01:45:00+11:00', 'Lord Howe 30-minute overlap 01:30–02:00: +11:00 first'],
    [LORD_HOWE, '2026-04-05', '02:00', '2026-04-05T02:00:00+10:30', 'Lord Howe: 02:00 after the overlap happens once'],
    [KOLKATA, '2026-03-08', '02:30', '2026-03-08T02:30:00+05:30', 'Kolkata has no DST'],
    [KOLKATA, '2026-11-01', '01:30', '2026-11-01T01:30:00+05:30', 'Kolkata has no DST (November)'],
    [CHATHAM, '2026-09-27', '03:00', '2026-09-27T03:45:00+13:45', 'Chatham gap 02:45–03:45'],
    [CHATHAM, '2026-09-27', '02:44', '2026-09-27T02:44:00+12:45', 'Chatham: the minute before the gap'],
    [CHATHAM, '2027-09-26', '02:45', '2027-09-26T03:45:00+13:45', 'Chatham 2027 gap'],
    [CHATHAM, '2026-04-05', '03:00', '2026-04-05T03:00:00+13:45', 'Chatham overlap 02:45–03:45: +13:45 first'],
    [CHATHAM, '2026-04-05', '03:45', '2026-04-05T03:45:00+12:45', 'Chatham: 03:45 after the overlap happens once'],
    [CHATHAM, '2028-04-02', '03:30', '2028-04-02T03:30:00+13:45', 'Chatham 2028 overlap'],
  ];
  for (const [zone, date, time, instant, why] of cases) {
    it(`${zone} ${date} ${time}: ${why}`, () => assert.equal(resolveWallClock(date, time, zone).toISOString(), utc(instant)));
  }

  it('differs from Luxon, which moves a skipped time forward by the gap and picks EST for a repeated New York time', () => {
    // Written down so a Luxon upgrade that changes this is noticed; Vigil's rule does not use it.
    const gap = DateTime.fromObject({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, { zone: NY });
    assert.equal(gap.toISO(), '2026-03-08T03:30:00.000-04:00');
    const overlap = DateTime.fromObject({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, { zone: NY });
    assert.equal(overlap.toISO(), '2026-11-01T01:30:00.000-05:00');
  });
});

describe('day, week and month rotations keep their wall-clock handoff across DST', () => {
  const cases: [string, Layer, string, string, string, [string, string, string][]][] = [
    [
      'New York daily 09:00: the spring-forward day is a 23-hour shift',
      layer('day', 1, '2026-03-06', '09:00'),
      NY,
      '2026-03-07T09:00:00-05:00',
      '2026-03-09T09:00:00-04:00',
      [
        ['b', '2026-03-07T09:00:00-05:00', '2026-03-08T09:00:00-04:00'],
        ['a', '2026-03-08T09:00:00-04:00', '2026-03-09T09:00:00-04:00'],
      ],
    ],
    [
      'New York daily 09:00: the fall-back day is a 25-hour shift',
      layer('day', 1, '2026-10-30', '09:00'),
      NY,
      '2026-10-31T09:00:00-04:00',
      '2026-11-02T09:00:00-05:00',
      [
        ['b', '2026-10-31T09:00:00-04:00', '2026-11-01T09:00:00-05:00'],
        ['a', '2026-11-01T09:00:00-05:00', '2026-11-02T09:00:00-05:00'],
      ],
    ],
    [
      'New York daily 02:30: the handoff in the gap happens at 03:00 EDT, then back at 02:30',
      layer('day', 1, '2026-03-07', '02:30'),
      NY,
      '2026-03-07T02:30:00-05:00',
      '2026-03-09T02:30:00-04:00',
      [
        ['a', '2026-03-07T02:30:00-05:00', '2026-03-08T03:00:00-04:00'],
        ['b', '2026-03-08T03:00:00-04:00', '2026-03-09T02:30:00-04:00'],
      ],
    ],
    [
      'New York daily 01:30: the repeated handoff happens at the first 01:30 (EDT)',
      layer('day', 1, '2026-10-31', '01:30'),
      NY,
      '2026-10-31T01:30:00-04:00',
      '2026-11-02T01:30:00-05:00',
      [
        ['a', '2026-10-31T01:30:00-04:00', '2026-11-01T01:30:00-04:00'],
        ['b', '2026-11-01T01:30:00-04:00', '2026-11-02T01:30:00-05:00'],
      ],
    ],
    [
      'New York daily 09:00 in 2025, 2027 and 2028 too',
      layer('day', 1, '2025-03-08', '09:00', ['a']),
      NY,
      '2025-03-08T09:00:00-05:00',
      '2025-03-09T09:00:00-04:00',
      [['a', '2025-03-08T09:00:00-05:00', '2025-03-09T09:00:00-04:00']],
    ],
    [
      'New York 2027 fall back',
      layer('day', 1, '2027-11-06', '09:00', ['a']),
      NY,
      '2027-11-06T09:00:00-04:00',
      '2027-11-07T09:00:00-05:00',
      [['a', '2027-11-06T09:00:00-04:00', '2027-11-07T09:00:00-05:00']],
    ],
    [
      'New York 2028 spring forward',
      layer('day', 1, '2028-03-11', '09:00', ['a']),
      NY,
      '2028-03-11T09:00:00-05:00',
      '2028-03-12T09:00:00-04:00',
      [['a', '2028-03-11T09:00:00-05:00', '2028-03-12T09:00:00-04:00']],
    ],
    [
      'London weekly Monday 09:00: the week with the spring change is 167 hours',
      layer('week', 1, '2026-03-23', '09:00'),
      LONDON,
      '2026-03-23T09:00:00Z',
      '2026-04-06T09:00:00+01:00',
      [
        ['a', '2026-03-23T09:00:00Z', '2026-03-30T09:00:00+01:00'],
        ['b', '2026-03-30T09:00:00+01:00', '2026-04-06T09:00:00+01:00'],
      ],
    ],
    [
      'London weekly Monday 09:00: the week with the autumn change is 169 hours (2027)',
      layer('week', 1, '2027-10-25', '09:00'),
      LONDON,
      '2027-10-25T09:00:00+01:00',
      '2027-11-01T09:00:00Z',
      [['a', '2027-10-25T09:00:00+01:00', '2027-11-01T09:00:00Z']],
    ],
    [
      'Sydney daily 09:00 across the October change (23 hours)',
      layer('day', 1, '2026-10-03', '09:00'),
      SYDNEY,
      '2026-10-03T09:00:00+10:00',
      '2026-10-05T09:00:00+11:00',
      [
        ['a', '2026-10-03T09:00:00+10:00', '2026-10-04T09:00:00+11:00'],
        ['b', '2026-10-04T09:00:00+11:00', '2026-10-05T09:00:00+11:00'],
      ],
    ],
    [
      'Sydney daily 02:30 across the April 2027 change: first 02:30, then a 25-hour shift',
      layer('day', 1, '2027-04-03', '02:30'),
      SYDNEY,
      '2027-04-03T02:30:00+11:00',
      '2027-04-05T02:30:00+10:00',
      [
        ['a', '2027-04-03T02:30:00+11:00', '2027-04-04T02:30:00+11:00'],
        ['b', '2027-04-04T02:30:00+11:00', '2027-04-05T02:30:00+10:00'],
      ],
    ],
    [
      'Lord Howe daily 09:00: 23.5 hours in October, 24.5 in April',
      layer('day', 1, '2026-04-04', '09:00', ['a']),
      LORD_HOWE,
      '2026-04-04T09:00:00+11:00',
      '2026-04-05T09:00:00+10:30',
      [['a', '2026-04-04T09:00:00+11:00', '2026-04-05T09:00:00+10:30']],
    ],
    [
      'Lord Howe daily 09:00, October 2026',
      layer('day', 1, '2026-10-03', '09:00', ['a']),
      LORD_HOWE,
      '2026-10-03T09:00:00+10:30',
      '2026-10-04T09:00:00+11:00',
      [['a', '2026-10-03T09:00:00+10:30', '2026-10-04T09:00:00+11:00']],
    ],
    [
      'Lord Howe daily 01:45 across April 2028: the first 01:45, then 24.5 hours',
      layer('day', 1, '2028-04-01', '01:45'),
      LORD_HOWE,
      '2028-04-01T01:45:00+11:00',
      '2028-04-03T01:45:00+10:30',
      [
        ['a', '2028-04-01T01:45:00+11:00', '2028-04-02T01:45:00+11:00'],
        ['b', '2028-04-02T01:45:00+11:00', '2028-04-03T01:45:00+10:30'],
      ],
    ],
    [
      'Kolkata daily 09:00 stays 24 hours while New York changes',
      layer('day', 1, '2026-03-07', '09:00'),
      KOLKATA,
      '2026-03-07T09:00:00+05:30',
      '2026-03-09T09:00:00+05:30',
      [
        ['a', '2026-03-07T09:00:00+05:30', '2026-03-08T09:00:00+05:30'],
        ['b', '2026-03-08T09:00:00+05:30', '2026-03-09T09:00:00+05:30'],
      ],
    ],
    [
      'Chatham daily 09:00: 23 hours in September 2025, 25 in April 2028',
      layer('day', 1, '2025-09-27', '09:00', ['a']),
      CHATHAM,
      '2025-09-27T09:00:00+12:45',
      '2025-09-28T09:00:00+13:45',
      [['a', '2025-09-27T09:00:00+12:45', '2025-09-28T09:00:00+13:45']],
    ],
    [
      'Chatham daily 09:00, April 2028',
      layer('day', 1, '2028-04-01', '09:00', ['a']),
      CHATHAM,
      '2028-04-01T09:00:00+13:45',
      '2028-04-02T09:00:00+12:45',
      [['a', '2028-04-01T09:00:00+13:45', '2028-04-02T09:00:00+12:45']],
    ],
    [
      'Chatham daily 03:00: the handoff in the 02:45–03:45 gap happens at 03:45',
      layer('day', 1, '2026-09-26', '03:00'),
      CHATHAM,
      '2026-09-26T03:00:00+12:45',
      '2026-09-28T03:00:00+13:45',
      [
        ['a', '2026-09-26T03:00:00+12:45', '2026-09-27T03:45:00+13:45'],
        ['b', '2026-09-27T03:45:00+13:45', '2026-09-28T03:00:00+13:45'],
      ],
    ],
    [
      'monthly on the 31st: the last day of shorter months, the 31st again when it exists',
      layer('month', 1, '2026-01-31', '09:00', ['a', 'b', 'c']),
      NY,
      '2026-01-31T09:00:00-05:00',
      '2026-05-31T09:00:00-04:00',
      [
        ['a', '2026-01-31T09:00:00-05:00', '2026-02-28T09:00:00-05:00'],
        ['b', '2026-02-28T09:00:00-05:00', '2026-03-31T09:00:00-04:00'],
        ['c', '2026-03-31T09:00:00-04:00', '2026-04-30T09:00:00-04:00'],
        ['a', '2026-04-30T09:00:00-04:00', '2026-05-31T09:00:00-04:00'],
      ],
    ],
    [
      'monthly on the 31st in a leap year: 29 February',
      layer('month', 1, '2028-01-31', '09:00'),
      KOLKATA,
      '2028-01-31T09:00:00+05:30',
      '2028-03-31T09:00:00+05:30',
      [
        ['a', '2028-01-31T09:00:00+05:30', '2028-02-29T09:00:00+05:30'],
        ['b', '2028-02-29T09:00:00+05:30', '2028-03-31T09:00:00+05:30'],
      ],
    ],
    [
      'every 3 months from 30 November: 28 February, then 30 May',
      layer('month', 3, '2025-11-30', '00:00', ['a', 'b', 'c']),
      LONDON,
      '2025-11-30T00:00:00Z',
      '2026-08-30T00:00:00+01:00',
      [
        ['a', '2025-11-30T00:00:00Z', '2026-02-28T00:00:00Z'],
        ['b', '2026-02-28T00:00:00Z', '2026-05-30T00:00:00+01:00'],
        ['c', '2026-05-30T00:00:00+01:00', '2026-08-30T00:00:00+01:00'],
      ],
    ],
  ];
  for (const [name, l, zone, from, to, rows] of cases) {
    it(name, () => assert.deepEqual(shiftsOf(l, zone, from, to), expected(rows)));
  }

  it('gives 23- and 25-hour daily shifts on the change days, 24 otherwise, in every zone with DST', () => {
    const days: [string, string, string, number][] = [
      [NY, '2027-03-13', '2027-03-14T12:00:00-04:00', 23],
      [NY, '2028-11-04', '2028-11-05T12:00:00-05:00', 25],
      [LONDON, '2025-10-25', '2025-10-26T12:00:00Z', 25],
      [SYDNEY, '2025-10-04', '2025-10-05T12:00:00+11:00', 23],
      [CHATHAM, '2027-04-03', '2027-04-04T12:00:00+12:45', 25],
      [KOLKATA, '2027-03-13', '2027-03-14T12:00:00+05:30', 24],
    ];
    for (const [zone, date, end, length] of days) {
      const [shift] = layerShifts(layer('day', 1, date, '12:00', ['a']), resolveWallClock(date, '12:00', zone), new Date(end), zone);
      assert.ok(shift, `${zone} ${date}`);
      assert.equal(shift.end, utc(end), `${zone} ${date}`);
      assert.equal(hours(shift.start, shift.end), length, `${zone} ${date}`);
    }
  });
});

describe('hourly rotations count wall-clock hours from the anchor', () => {
  const cases: [string, Layer, string, string, string, [string, string, string][]][] = [
    [
      'New York, 1 hour, spring forward: the 02:00 turn does not exist and is skipped (c)',
      layer('hour', 1, '2026-03-08', '00:00', ['a', 'b', 'c', 'd']),
      NY,
      '2026-03-08T00:00:00-05:00',
      '2026-03-08T04:00:00-04:00',
      [
        ['a', '2026-03-08T00:00:00-05:00', '2026-03-08T01:00:00-05:00'],
        ['b', '2026-03-08T01:00:00-05:00', '2026-03-08T03:00:00-04:00'],
        ['d', '2026-03-08T03:00:00-04:00', '2026-03-08T04:00:00-04:00'],
      ],
    ],
    [
      'New York, 1 hour, fall back: the 01:00 shift lasts both 01:00 hours (2 real hours)',
      layer('hour', 1, '2026-11-01', '00:00', ['a', 'b', 'c']),
      NY,
      '2026-11-01T00:00:00-04:00',
      '2026-11-01T03:00:00-05:00',
      [
        ['a', '2026-11-01T00:00:00-04:00', '2026-11-01T01:00:00-04:00'],
        ['b', '2026-11-01T01:00:00-04:00', '2026-11-01T02:00:00-05:00'],
        ['c', '2026-11-01T02:00:00-05:00', '2026-11-01T03:00:00-05:00'],
      ],
    ],
    [
      'New York, 2 hours, spring forward 2027: 00:00–02:00 ends at 03:00 EDT, 03:00–04:00 is 1 hour',
      layer('hour', 2, '2027-03-13', '00:00', ['a', 'b', 'c']),
      NY,
      '2027-03-14T00:00:00-05:00',
      '2027-03-14T06:00:00-04:00',
      [
        ['a', '2027-03-14T00:00:00-05:00', '2027-03-14T03:00:00-04:00'],
        ['b', '2027-03-14T03:00:00-04:00', '2027-03-14T04:00:00-04:00'],
        ['c', '2027-03-14T04:00:00-04:00', '2027-03-14T06:00:00-04:00'],
      ],
    ],
    [
      'New York, 2 hours, fall back 2027: 00:00–02:00 is 3 real hours',
      layer('hour', 2, '2027-11-06', '00:00', ['a', 'b', 'c']),
      NY,
      '2027-11-07T00:00:00-04:00',
      '2027-11-07T04:00:00-05:00',
      [
        ['a', '2027-11-07T00:00:00-04:00', '2027-11-07T02:00:00-05:00'],
        ['b', '2027-11-07T02:00:00-05:00', '2027-11-07T04:00:00-05:00'],
      ],
    ],
    [
      'Lord Howe, 1 hour, spring forward: 01:00 runs to 02:30, 02:00 (= 02:30) to 03:00 is 30 minutes',
      layer('hour', 1, '2026-10-04', '00:00', ['a', 'b', 'c', 'd']),
      LORD_HOWE,
      '2026-10-04T00:00:00+10:30',
      '2026-10-04T04:00:00+11:00',
      [
        ['a', '2026-10-04T00:00:00+10:30', '2026-10-04T01:00:00+10:30'],
        ['b', '2026-10-04T01:00:00+10:30', '2026-10-04T02:30:00+11:00'],
        ['c', '2026-10-04T02:30:00+11:00', '2026-10-04T03:00:00+11:00'],
        ['d', '2026-10-04T03:00:00+11:00', '2026-10-04T04:00:00+11:00'],
      ],
    ],
    [
      'Lord Howe, 1 hour, fall back: the 01:00 shift includes the repeated half hour (1.5 real hours)',
      layer('hour', 1, '2026-04-05', '00:00', ['a', 'b']),
      LORD_HOWE,
      '2026-04-05T00:00:00+11:00',
      '2026-04-05T03:00:00+10:30',
      [
        ['a', '2026-04-05T00:00:00+11:00', '2026-04-05T01:00:00+11:00'],
        ['b', '2026-04-05T01:00:00+11:00', '2026-04-05T02:00:00+10:30'],
        ['a', '2026-04-05T02:00:00+10:30', '2026-04-05T03:00:00+10:30'],
      ],
    ],
    [
      'Lord Howe, 3 hours, spring forward: 00:00–03:00 is 2.5 real hours',
      layer('hour', 3, '2026-10-04', '00:00'),
      LORD_HOWE,
      '2026-10-04T00:00:00+10:30',
      '2026-10-04T06:00:00+11:00',
      [
        ['a', '2026-10-04T00:00:00+10:30', '2026-10-04T03:00:00+11:00'],
        ['b', '2026-10-04T03:00:00+11:00', '2026-10-04T06:00:00+11:00'],
      ],
    ],
    [
      'Chatham, 12 hours from 03:00: the 03:00 handoff on the change day happens at 03:45',
      layer('hour', 12, '2026-09-26', '03:00'),
      CHATHAM,
      '2026-09-26T15:00:00+12:45',
      '2026-09-27T15:00:00+13:45',
      [
        ['b', '2026-09-26T15:00:00+12:45', '2026-09-27T03:45:00+13:45'],
        ['a', '2026-09-27T03:45:00+13:45', '2026-09-27T15:00:00+13:45'],
      ],
    ],
    [
      'Kolkata, 8 hours: always 8 real hours',
      layer('hour', 8, '2026-03-08', '00:00', ['a', 'b', 'c']),
      KOLKATA,
      '2026-03-08T00:00:00+05:30',
      '2026-03-09T00:00:00+05:30',
      [
        ['a', '2026-03-08T00:00:00+05:30', '2026-03-08T08:00:00+05:30'],
        ['b', '2026-03-08T08:00:00+05:30', '2026-03-08T16:00:00+05:30'],
        ['c', '2026-03-08T16:00:00+05:30', '2026-03-09T00:00:00+05:30'],
      ],
    ],
  ];
  for (const [name, l, zone, from, to, rows] of cases) {
    it(name, () => assert.deepEqual(shiftsOf(l, zone, from, to), expected(rows)));
  }
});

describe('restrictions are wall-clock windows in the layer zone', () => {
  const weekly = (participants: string[], restrictions: Restriction[]) => layer('week', 1, '2026-01-05', '09:00', participants, restrictions);
  const cases: [string, Layer, string, string, string, [string, string, string][]][] = [
    [
      '22:00–06:00 crosses midnight; on the spring-forward night it is 7 real hours',
      weekly(['a'], [{ kind: 'daily', start: '22:00', end: '06:00' }]),
      NY,
      '2026-03-07T12:00:00-05:00',
      '2026-03-08T12:00:00-04:00',
      [['a', '2026-03-07T22:00:00-05:00', '2026-03-08T06:00:00-04:00']],
    ],
    [
      '22:00–06:00 on the fall-back night is 9 real hours',
      weekly(['a'], [{ kind: 'daily', start: '22:00', end: '06:00' }]),
      NY,
      '2026-10-31T12:00:00-04:00',
      '2026-11-01T12:00:00-05:00',
      [['a', '2026-10-31T22:00:00-04:00', '2026-11-01T06:00:00-05:00']],
    ],
    [
      'a window starting in the gap starts at the end of the gap',
      weekly(['a'], [{ kind: 'daily', start: '02:30', end: '04:00' }]),
      NY,
      '2026-03-08T00:00:00-05:00',
      '2026-03-08T12:00:00-04:00',
      [['a', '2026-03-08T03:00:00-04:00', '2026-03-08T04:00:00-04:00']],
    ],
    [
      'a window wholly inside the gap covers nothing that day',
      weekly(['a'], [{ kind: 'daily', start: '02:10', end: '02:50' }]),
      NY,
      '2026-03-07T00:00:00-05:00',
      '2026-03-10T00:00:00-04:00',
      [
        ['a', '2026-03-07T02:10:00-05:00', '2026-03-07T02:50:00-05:00'],
        ['a', '2026-03-09T02:10:00-04:00', '2026-03-09T02:50:00-04:00'],
      ],
    ],
    [
      'a window ending in the repeated hour ends at its first occurrence',
      weekly(['a'], [{ kind: 'daily', start: '00:00', end: '01:30' }]),
      NY,
      '2026-11-01T00:00:00-04:00',
      '2026-11-01T12:00:00-05:00',
      [['a', '2026-11-01T00:00:00-04:00', '2026-11-01T01:30:00-04:00']],
    ],
    [
      'a weekly Friday 18:00 → Monday 09:00 window over the London spring change is 62 hours',
      weekly(['a'], [{ kind: 'weekly', startDay: 5, start: '18:00', endDay: 1, end: '09:00' }]),
      LONDON,
      '2026-03-27T00:00:00Z',
      '2026-03-31T00:00:00+01:00',
      [['a', '2026-03-27T18:00:00Z', '2026-03-30T09:00:00+01:00']],
    ],
    [
      'restrictions do not move handoffs: a Wednesday 12:00 handoff splits Wednesday office hours',
      {
        ...layer('week', 1, '2026-04-01', '12:00'),
        restrictions: [1, 2, 3, 4, 5].map((d) => ({ kind: 'weekly' as const, startDay: d, start: '09:00', endDay: d, end: '17:00' })),
      },
      LONDON,
      '2026-04-06T00:00:00+01:00',
      '2026-04-09T00:00:00+01:00',
      [
        ['a', '2026-04-06T09:00:00+01:00', '2026-04-06T17:00:00+01:00'],
        ['a', '2026-04-07T09:00:00+01:00', '2026-04-07T17:00:00+01:00'],
        ['a', '2026-04-08T09:00:00+01:00', '2026-04-08T12:00:00+01:00'],
        ['b', '2026-04-08T12:00:00+01:00', '2026-04-08T17:00:00+01:00'],
      ],
    ],
    [
      'restricted-out time is not made up: a weekend turn is simply uncovered and the next turn keeps its clock',
      layer('day', 1, '2026-04-03', '09:00', ['a', 'b', 'c', 'd'], [{ kind: 'weekly', startDay: 1, start: '00:00', endDay: 6, end: '00:00' }]),
      LONDON,
      '2026-04-03T09:00:00+01:00',
      '2026-04-07T09:00:00+01:00',
      [
        ['a', '2026-04-03T09:00:00+01:00', '2026-04-04T00:00:00+01:00'],
        // b's Saturday shift is wholly restricted out; c's Sunday 09:00 → Monday 09:00 shift keeps Monday's small hours.
        ['c', '2026-04-06T00:00:00+01:00', '2026-04-06T09:00:00+01:00'],
        ['d', '2026-04-06T09:00:00+01:00', '2026-04-07T09:00:00+01:00'],
      ],
    ],
  ];
  for (const [name, l, zone, from, to, rows] of cases) {
    it(name, () => assert.deepEqual(shiftsOf(l, zone, from, to), expected(rows)));
  }

  it('follows the sun: a Kolkata layer of a New York schedule keeps Kolkata hours while New York changes', () => {
    const l: Layer = { ...layer('day', 1, '2026-03-01', '09:00', ['a'], [{ kind: 'daily', start: '09:00', end: '17:00' }]), handoff: { date: '2026-03-01', time: '09:00', timeZone: KOLKATA } };
    assert.deepEqual(
      shiftsOf(l, NY, '2026-03-06T12:00:00-05:00', '2026-03-08T12:00:00-04:00'),
      expected([
        ['a', '2026-03-07T09:00:00+05:30', '2026-03-07T17:00:00+05:30'],
        ['a', '2026-03-08T09:00:00+05:30', '2026-03-08T17:00:00+05:30'],
      ]),
    );
  });
});
