import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ICAL from 'ical.js';
import { fold, scheduleCalendar, text, userCalendar } from './ical.ts';
import type { Layer, Override, Restriction, RotationUnit, Schedule } from './schedule.ts';
import { type FinalShift, finalSchedule } from './schedule-math.ts';

// The feeds are read back with ical.js, a real iCalendar parser, which converts each DTSTART/DTEND
// to UTC with the VTIMEZONE in the feed (it knows no zones of its own). Expected transitions are
// written by hand from the published rules (New York: 8 March 2026 02:00 → 03:00, 1 November
// 02:00 → 01:00; Lord Howe: 5 April 2026 02:00 → 01:30, 4 October 02:00 → 02:30, +10:30/+11:00;
// Chatham: 5 April 2026 03:45 → 02:45, 27 September 02:45 → 03:45, +12:45/+13:45; Kolkata +05:30).

const NY = 'America/New_York';
const LORD_HOWE = 'Australia/Lord_Howe';
const CHATHAM = 'Pacific/Chatham';
const KOLKATA = 'Asia/Kolkata';
const NOW = new Date('2026-01-15T12:00:00Z');
const PRODUCT = '-//Vigil//On-call//EN';
const USERS = [
  { id: 'alice', name: 'Alice Example' },
  { id: 'bob', name: 'Bob Example' },
  { id: 'carol', name: 'Carol Example' },
];

function layer(id: string, unit: RotationUnit, length: number, date: string, time: string, participants: string[], restrictions?: Restriction[]): Layer {
  return { id, name: `Layer ${id}`, participants, rotation: { unit, length }, handoff: { date, time }, start: '2025-01-01T00:00:00Z', ...(restrictions ? { restrictions } : {}) };
}

interface ParsedEvent {
  uid: string;
  start: string;
  end: string;
  summary: string;
  description: string;
  startZone: string;
  endZone: string;
}

function parse(feed: string): { calendar: InstanceType<typeof ICAL.Component>; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(feed));
  const events = calendar.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      start: new Date(e.startDate.toUnixTime() * 1000).toISOString(),
      end: new Date(e.endDate.toUnixTime() * 1000).toISOString(),
      summary: e.summary,
      description: e.description,
      startZone: e.startDate.zone?.tzid ?? '',
      endZone: e.endDate.zone?.tzid ?? '',
    };
  });
  return { calendar, events };
}

const seconds = (iso: string) => new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();

/** The calendar of `schedule` over [from, to), read back: every event's instants equal its shift's. */
function roundTrip(schedule: Schedule, from: string, to: string) {
  const shifts = finalSchedule(schedule, new Date(from), new Date(to)).shifts;
  assert.ok(shifts.length > 0, 'the range has shifts');
  const feed = scheduleCalendar({ id: 'sched-1', name: 'Payments', timeZone: schedule.timeZone, shifts, layers: schedule.layers, users: USERS, productId: PRODUCT, now: NOW });
  const { calendar, events } = parse(feed);
  const name = (id: string) => USERS.find((u) => u.id === id)?.name ?? id;
  assert.deepEqual(
    events.map((e) => [e.summary, e.start, e.end]),
    shifts.map((s) => [`On call: ${name(s.userId)} (Payments)`, seconds(s.start), seconds(s.end)]),
  );
  for (const e of events) {
    // Each instant was read either in the schedule's zone, through the emitted VTIMEZONE, or in UTC.
    assert.ok([schedule.timeZone, 'UTC'].includes(e.startZone), e.startZone);
    assert.ok([schedule.timeZone, 'UTC'].includes(e.endZone), e.endZone);
  }
  return { feed, calendar, events, shifts };
}

/** The observances of the feed's VTIMEZONE for `zone` as [kind, DTSTART, FROM, TO]. */
function observances(feed: string, zone: string): string[][] {
  const vtz = new ICAL.Component(ICAL.parse(feed)).getAllSubcomponents('vtimezone').find((z) => z.getFirstPropertyValue('tzid') === zone);
  assert.ok(vtz, `a VTIMEZONE for ${zone}`);
  const raw = feed.split('\r\n');
  const out: string[][] = [];
  let current: string[] | null = null;
  let inZone = false;
  for (const line of raw) {
    if (line === `TZID:${zone}`) inZone = true;
    else if (line === 'END:VTIMEZONE') inZone = false;
    else if (inZone && /^BEGIN:(STANDARD|DAYLIGHT)$/.test(line)) current = [line.slice(6)];
    else if (inZone && current && /^(DTSTART|TZOFFSETFROM|TZOFFSETTO):/.test(line)) current.push(line.split(':')[1]!);
    else if (inZone && current && /^END:/.test(line)) {
      out.push(current);
      current = null;
    }
  }
  return out;
}

describe('scheduleCalendar: event instants read back by ical.js', () => {
  it('New York across both DST changes of 2026: daily, hourly and restricted layers with overrides', () => {
    const overrides: Override[] = [
      // Across the repeated hour of 1 November and across the skipped hour of 8 March.
      { id: 'o1', userId: 'carol', start: '2026-11-01T05:15:00Z', end: '2026-11-01T06:45:00Z' },
      { id: 'o2', userId: 'carol', start: '2026-03-08T06:30:00Z', end: '2026-03-08T07:30:00Z' },
    ];
    const schedule: Schedule = {
      timeZone: NY,
      layers: [
        layer('daily', 'day', 1, '2026-01-01', '09:00', ['alice', 'bob']),
        layer('nights', 'hour', 1, '2026-01-01', '00:00', ['bob', 'alice'], [{ kind: 'daily', start: '23:00', end: '04:00' }]),
      ],
      overrides,
    };
    const spring = roundTrip(schedule, '2026-03-06T00:00:00Z', '2026-03-10T00:00:00Z');
    const fall = roundTrip(schedule, '2026-10-30T00:00:00Z', '2026-11-03T00:00:00Z');

    // Written by hand: the daily 09:00 handoff on 8 March is 09:00 EDT (13:00 UTC), on 1 November 09:00 EST (14:00 UTC).
    assert.ok(spring.feed.includes('\r\nDTSTART;TZID=America/New_York:20260308T090000\r\n'));
    assert.ok(spring.events.some((e) => e.start === '2026-03-08T13:00:00.000Z'));
    assert.ok(fall.events.some((e) => e.start === '2026-11-01T14:00:00.000Z'));
    // 01:15 EDT (05:15 UTC) is a local time that happens twice: it is written in UTC.
    assert.ok(fall.feed.includes('\r\nDTSTART:20261101T051500Z\r\n'));
    assert.deepEqual(observances(spring.feed, NY), [
      ['STANDARD', '20251102T020000', '-0400', '-0500'],
      ['DAYLIGHT', '20260308T020000', '-0500', '-0400'],
    ]);
    assert.deepEqual(observances(fall.feed, NY), [
      ['DAYLIGHT', '20260308T020000', '-0500', '-0400'],
      ['STANDARD', '20261101T020000', '-0400', '-0500'],
    ]);
  });

  it('a year of New York daily shifts: one VTIMEZONE covering both changes', () => {
    const schedule: Schedule = { timeZone: NY, layers: [layer('daily', 'day', 1, '2026-01-01', '09:00', ['alice', 'bob', 'carol'])] };
    const { feed, events } = roundTrip(schedule, '2026-01-01T14:00:00Z', '2027-01-01T14:00:00Z');
    assert.equal(events.length, 365);
    assert.equal(feed.match(/BEGIN:VTIMEZONE/g)?.length, 1);
  });

  it('Australia/Lord_Howe: 30-minute DST, both changes of 2026', () => {
    const schedule: Schedule = {
      timeZone: LORD_HOWE,
      layers: [layer('daily', 'day', 1, '2026-01-01', '02:15', ['alice', 'bob']), layer('hourly', 'hour', 1, '2026-01-01', '00:00', ['carol', 'alice'], [{ kind: 'daily', start: '00:30', end: '03:00' }])],
    };
    const april = roundTrip(schedule, '2026-04-03T00:00:00Z', '2026-04-07T00:00:00Z');
    const october = roundTrip(schedule, '2026-10-02T00:00:00Z', '2026-10-06T00:00:00Z');
    // 02:15 on 4 October does not exist: the daily handoff is 02:30 +11:00 (15:30 UTC on the 3rd).
    assert.ok(october.events.some((e) => e.start === '2026-10-03T15:30:00.000Z'));
    assert.deepEqual(observances(april.feed, LORD_HOWE), [
      ['DAYLIGHT', '20251005T020000', '+1030', '+1100'],
      ['STANDARD', '20260405T020000', '+1100', '+1030'],
    ]);
    assert.deepEqual(observances(october.feed, LORD_HOWE), [
      ['STANDARD', '20260405T020000', '+1100', '+1030'],
      ['DAYLIGHT', '20261004T020000', '+1030', '+1100'],
    ]);
  });

  it('Pacific/Chatham: +12:45 and +13:45', () => {
    const schedule: Schedule = {
      timeZone: CHATHAM,
      layers: [layer('daily', 'day', 1, '2026-01-01', '03:00', ['alice', 'bob']), layer('hourly', 'hour', 2, '2026-01-01', '00:00', ['carol', 'bob'], [{ kind: 'daily', start: '03:00', end: '06:00' }])],
    };
    const april = roundTrip(schedule, '2026-04-03T00:00:00Z', '2026-04-07T00:00:00Z');
    const september = roundTrip(schedule, '2026-09-25T00:00:00Z', '2026-09-29T00:00:00Z');
    // The 03:00 window start on 27 September does not exist: 03:45 +13:45 (14:00 UTC on the 26th).
    assert.ok(september.events.some((e) => e.start === '2026-09-26T14:00:00.000Z'));
    assert.deepEqual(observances(april.feed, CHATHAM), [
      ['DAYLIGHT', '20250928T024500', '+1245', '+1345'],
      ['STANDARD', '20260405T034500', '+1345', '+1245'],
    ]);
    assert.deepEqual(observances(september.feed, CHATHAM), [
      ['STANDARD', '20260405T034500', '+1345', '+1245'],
      ['DAYLIGHT', '20260927T024500', '+1245', '+1345'],
    ]);
  });

  it('Asia/Kolkata: +05:30 without DST is a single STANDARD', () => {
    const schedule: Schedule = {
      timeZone: KOLKATA,
      layers: [layer('weekly', 'week', 1, '2026-01-05', '10:30', ['alice', 'bob']), layer('hourly', 'hour', 3, '2026-01-01', '00:00', ['carol'], [{ kind: 'weekly', startDay: 6, start: '00:00', endDay: 1, end: '00:00' }])],
    };
    const { feed, events } = roundTrip(schedule, '2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z');
    // Monday 5 January 2026 10:30 +05:30 is 05:00 UTC.
    assert.ok(events.some((e) => e.start === '2026-01-05T05:00:00.000Z'));
    assert.ok(feed.includes('\r\nDTSTART;TZID=Asia/Kolkata:20260105T103000\r\n'));
    assert.deepEqual(observances(feed, KOLKATA), [['STANDARD', '19700101T000000', '+0530', '+0530']]);
  });
});

describe('ical.js and ambiguous local times', () => {
  it('reads a repeated local time as its second occurrence, which is why such times are written in UTC', () => {
    // RFC 5545 says 01:30 on 1 November 2026 in New York means the first 01:30 (EDT, 05:30 UTC);
    // ical.js 2.2 reads 01:30 EST (06:30 UTC). If an upgrade changes this, the UTC fallback may go.
    const shifts = finalSchedule({ timeZone: NY, layers: [layer('l1', 'day', 1, '2026-10-01', '12:00', ['alice'])] }, new Date('2026-10-31T00:00:00Z'), new Date('2026-11-02T00:00:00Z')).shifts;
    const feed = scheduleCalendar({ id: 's', name: 'n', timeZone: NY, shifts, users: USERS, productId: PRODUCT, now: NOW });
    const edited = feed.replace(/DTSTART;TZID=America\/New_York:\d{8}T\d{6}/, 'DTSTART;TZID=America/New_York:20261101T013000');
    assert.equal(parse(edited).events[0]!.start, '2026-11-01T06:30:00.000Z');
  });
});

describe('scheduleCalendar: text', () => {
  const awkward = 'Zoë, "Ops"; on-call\\team';
  const longName = 'Plateforme de paiement — astreinte de nuit 🌙, région Europe; équipe « SRE » (niveau 2)\nsecond line';
  const schedule: Schedule = {
    timeZone: NY,
    layers: [{ ...layer('l1', 'week', 1, '2026-01-05', '09:00', ['zoe', 'alice']), name: 'Primary, weekly; all\\hands' }],
    overrides: [{ id: 'o1', userId: 'zoe', start: '2026-01-20T00:00:00Z', end: '2026-01-21T00:00:00Z' }],
    temporarySchedules: [{ id: 't1', start: '2026-01-24T00:00:00Z', end: '2026-01-25T00:00:00Z', shifts: [{ userId: 'zoe', start: '2026-01-24T00:00:00Z', end: '2026-01-24T12:00:00Z' }] }],
  };
  const shifts = finalSchedule(schedule, new Date('2026-01-05T14:00:00Z'), new Date('2026-02-02T14:00:00Z')).shifts;
  const feed = scheduleCalendar({
    id: 'sched-1',
    name: longName,
    timeZone: NY,
    shifts,
    layers: schedule.layers,
    users: [{ id: 'zoe', name: awkward }],
    productId: PRODUCT,
    now: NOW,
    feedUrl: 'https://vigil.example/api/v1/schedules/sched-1/calendar.ics?token=abc',
  });

  it('escapes and folds so that a parser reads the same text back', () => {
    const { calendar, events } = parse(feed);
    // ical.js does not unescape X- properties; the escaped form is written out by hand.
    assert.equal(calendar.getFirstPropertyValue('x-wr-calname'), 'Plateforme de paiement — astreinte de nuit 🌙\\, région Europe\\; équipe « SRE » (niveau 2)\\nsecond line');
    assert.equal(calendar.getFirstPropertyValue('prodid'), PRODUCT);
    const zoe = events.filter((e) => e.summary.startsWith('On call: Zoë'));
    assert.ok(zoe.length >= 3);
    for (const e of zoe) assert.equal(e.summary, `On call: ${awkward} (${longName})`);
    assert.deepEqual(
      [...new Set(events.map((e) => e.description))].sort(),
      [`Layer: Primary, weekly; all\\hands\nSchedule: ${longName}`, `Override\nSchedule: ${longName}`, `Temporary schedule\nSchedule: ${longName}`].sort(),
    );
  });

  it('writes CRLF lines of at most 75 octets, folded between UTF-8 characters', () => {
    assert.ok(feed.endsWith('\r\n'));
    assert.ok(!/\r(?!\n)|(?<!\r)\n/.test(feed), 'no bare CR or LF');
    const bytes = new TextEncoder().encode(feed);
    const lines: Uint8Array[] = [];
    let start = 0;
    for (let i = 0; i < bytes.length - 1; i++) {
      if (bytes[i] === 13 && bytes[i + 1] === 10) {
        lines.push(bytes.subarray(start, i));
        start = i + 2;
      }
    }
    const strict = new TextDecoder('utf-8', { fatal: true });
    let folded = 0;
    for (const line of lines) {
      assert.ok(line.length <= 75, `${line.length} octets: ${strict.decode(line)}`);
      strict.decode(line); // throws if a fold split a character
      if (line[0] === 32) folded++;
    }
    assert.ok(folded > 0, 'the long lines were folded');
    assert.ok(feed.includes('SUMMARY:On call: Zoë\\, "Ops"\\; on-call\\\\team ('));
  });

  it('folds exactly at the limit and escapes TEXT specials', () => {
    assert.equal(fold('x'.repeat(75)), 'x'.repeat(75));
    assert.equal(fold('x'.repeat(76)), `${'x'.repeat(75)}\r\n x`);
    // 74 ASCII octets then a 2-octet character: the character moves to the next line whole.
    assert.equal(fold(`${'x'.repeat(74)}é`), `${'x'.repeat(74)}\r\n é`);
    // A 4-octet character never splits (surrogate pairs stay together).
    assert.equal(fold(`${'x'.repeat(73)}🌙y`), `${'x'.repeat(73)}\r\n 🌙y`);
    assert.equal(text('a\\b;c,d\r\ne\nf\u0007'), 'a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('names the feed URL, the zone and the stamp', () => {
    const unfolded = feed.replace(/\r\n /g, '');
    assert.ok(unfolded.includes('\r\nSOURCE;VALUE=URI:https://vigil.example/api/v1/schedules/sched-1/calendar.ics?token=abc\r\n'));
    assert.ok(feed.includes('\r\nX-WR-TIMEZONE:America/New_York\r\n'));
    assert.ok(feed.includes('\r\nDTSTAMP:20260115T120000Z\r\n'));
    assert.throws(() => scheduleCalendar({ id: 's', name: 'n', timeZone: NY, shifts, users: [], productId: PRODUCT, now: NOW, feedUrl: 'https://x/\r\nEVIL:1' }), RangeError);
  });
});

describe('scheduleCalendar: UIDs', () => {
  const schedule: Schedule = {
    timeZone: NY,
    layers: [layer('l1', 'day', 1, '2026-01-01', '09:00', ['alice', 'bob'])],
    overrides: [{ id: 'o1', userId: 'alice', start: '2026-01-10T15:00:00Z', end: '2026-01-10T16:00:00Z' }],
  };
  const feedOf = (from: string, to: string, now = NOW, id = 'sched-1') =>
    scheduleCalendar({ id, name: 'Payments', timeZone: NY, shifts: finalSchedule(schedule, new Date(from), new Date(to)).shifts, layers: schedule.layers, users: USERS, productId: PRODUCT, now });
  const uids = (feed: string) => parse(feed).events.map((e) => `${e.start} ${e.uid}`);

  it('are the same for the same shifts on every refresh, whatever the stamp', () => {
    const a = feedOf('2026-01-05T14:00:00Z', '2026-01-20T14:00:00Z');
    assert.equal(feedOf('2026-01-05T14:00:00Z', '2026-01-20T14:00:00Z'), a);
    assert.deepEqual(uids(feedOf('2026-01-05T14:00:00Z', '2026-01-20T14:00:00Z', new Date('2026-01-16T00:00:00Z'))), uids(a));
    // A later window, still aligned on a handoff: the shifts both windows hold keep their UIDs.
    const later = uids(feedOf('2026-01-08T14:00:00Z', '2026-01-25T14:00:00Z'));
    const shared = uids(a).filter((x) => x >= '2026-01-08T14');
    assert.equal(shared.length, 14);
    assert.deepEqual(
      shared.filter((x) => !later.includes(x)),
      [],
    );
  });

  it('differ between shifts, sources and schedules', () => {
    const events = parse(feedOf('2026-01-05T14:00:00Z', '2026-01-20T14:00:00Z')).events;
    assert.equal(new Set(events.map((e) => e.uid)).size, events.length);
    const other = parse(feedOf('2026-01-05T14:00:00Z', '2026-01-20T14:00:00Z', NOW, 'sched-2')).events;
    assert.equal(other.filter((e) => events.some((x) => x.uid === e.uid)).length, 0);
    for (const e of events) assert.match(e.uid, /^[0-9a-f]{32}@vigil$/);
  });
});

describe('userCalendar', () => {
  const ny: Schedule = { timeZone: NY, layers: [layer('l1', 'day', 1, '2026-03-01', '09:00', ['alice', 'bob'])] };
  const india: Schedule = { timeZone: KOLKATA, layers: [layer('l1', 'week', 1, '2026-03-02', '10:30', ['carol', 'alice'])] };
  const from = new Date('2026-03-01T00:00:00Z');
  const to = new Date('2026-04-01T00:00:00Z');
  const schedules = [
    { id: 's-ny', name: 'Payments', timeZone: NY, shifts: finalSchedule(ny, from, to).shifts, layers: ny.layers },
    { id: 's-in', name: 'Search', timeZone: KOLKATA, shifts: finalSchedule(india, from, to).shifts, layers: india.layers },
  ];
  const feed = userCalendar({ user: { id: 'alice', name: 'Alice Example' }, schedules, productId: PRODUCT, now: NOW });

  it('holds only the user’s shifts of every schedule, each read in its own zone', () => {
    const { calendar, events } = parse(feed);
    assert.equal(calendar.getFirstPropertyValue('x-wr-calname'), 'On call: Alice Example');
    const expected = schedules
      .flatMap((s) => s.shifts.filter((x: FinalShift) => x.userId === 'alice').map((x) => [`On call: Alice Example (${s.name})`, x.start, x.end, s.timeZone]))
      .sort((a, b) => (a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0));
    assert.deepEqual(
      events.map((e) => [e.summary, e.start, e.end, e.startZone]),
      expected,
    );
    assert.ok(events.some((e) => e.startZone === NY) && events.some((e) => e.startZone === KOLKATA));
  });

  it('has one VTIMEZONE per zone used', () => {
    const zones = new ICAL.Component(ICAL.parse(feed)).getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'));
    assert.deepEqual(zones, [NY, KOLKATA]);
    assert.deepEqual(observances(feed, NY), [
      ['STANDARD', '20251102T020000', '-0400', '-0500'],
      ['DAYLIGHT', '20260308T020000', '-0500', '-0400'],
    ]);
  });
});
