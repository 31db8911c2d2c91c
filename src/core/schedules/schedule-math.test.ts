import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSchedule, type Layer, type Override, type Schedule, type TemporarySchedule } from './schedule.ts';
import { finalSchedule, layerShifts, onCallAt, type ShiftSource } from './schedule-math.ts';

const utc = (instant: string) => new Date(instant).toISOString();
const fieldsOf = (problems: { field: string }[]) => problems.map((p) => p.field);

function layer(id: string, participants: string[], extra: Partial<Layer> = {}): Layer {
  return { id, name: id, participants, rotation: { unit: 'day', length: 1 }, handoff: { date: '2026-06-01', time: '00:00' }, start: '2026-01-01T00:00:00Z', ...extra };
}
const schedule = (layers: Layer[], overrides: Override[] = [], temporarySchedules: TemporarySchedule[] = []): Schedule => ({ timeZone: 'UTC', layers, overrides, temporarySchedules });

const L = (layerId: string): ShiftSource => ({ type: 'layer', layerId });
const O = (overrideId: string): ShiftSource => ({ type: 'override', overrideId });
const T = (temporaryId: string): ShiftSource => ({ type: 'temporary', temporaryId });

/** [user, start, end, source] rows, written in UTC "YYYY-MM-DDTHH:mm". */
function rows(s: Schedule, from: string, to: string): [string, string, string, ShiftSource][] {
  return finalSchedule(s, new Date(`${from}Z`), new Date(`${to}Z`)).shifts.map((x) => [x.userId, x.start.slice(0, 16), x.end.slice(0, 16), x.source]);
}

describe('checkSchedule', () => {
  const valid = (): Schedule =>
    schedule(
      [layer('primary', ['alice', 'bob'], { restrictions: [{ kind: 'daily', start: '22:00', end: '06:00' }, { kind: 'weekly', startDay: 5, start: '18:00', endDay: 1, end: '09:00' }] })],
      [{ id: 'o1', userId: 'carol', replacesUserId: 'alice', start: '2026-06-02T00:00:00Z', end: '2026-06-03T00:00:00+02:00' }],
      [{ id: 't1', start: '2026-07-01T00:00:00Z', end: '2026-07-02T00:00:00Z', shifts: [{ userId: 'dave', start: '2026-07-01T00:00:00Z', end: '2026-07-01T12:00:00Z' }] }],
    );
  it('accepts a full, valid schedule', () => assert.deepEqual(checkSchedule(valid()), []));

  const cases: [string, (s: Schedule) => void, string[]][] = [
    ['an unknown zone', (s) => (s.timeZone = 'Mars/Olympus'), ['schedule.timeZone']],
    ['a fixed offset is not an IANA name', (s) => (s.layers[0]!.handoff.timeZone = '+05:30'), ['schedule.layers.0.handoff.timeZone']],
    ['more than 10 layers', (s) => (s.layers = Array.from({ length: 11 }, (_, i) => layer(`l${i}`, ['a']))), ['schedule.layers']],
    ['two layers with one id', (s) => s.layers.push(layer('primary', ['a'])), ['schedule.layers.1.id']],
    ['an empty name', (s) => (s.layers[0]!.name = ' '), ['schedule.layers.0.name']],
    ['no participants', (s) => (s.layers[0]!.participants = []), ['schedule.layers.0.participants']],
    ['101 participants', (s) => (s.layers[0]!.participants = Array.from({ length: 101 }, (_, i) => `u${i}`)), ['schedule.layers.0.participants']],
    ['an empty participant id', (s) => (s.layers[0]!.participants = ['a', '']), ['schedule.layers.0.participants.1']],
    ['a rotation length of 0', (s) => (s.layers[0]!.rotation = { unit: 'week', length: 0 }), ['schedule.layers.0.rotation.length']],
    ['a fractional length', (s) => (s.layers[0]!.rotation = { unit: 'day', length: 1.5 }), ['schedule.layers.0.rotation.length']],
    ['169 hours', (s) => (s.layers[0]!.rotation = { unit: 'hour', length: 169 }), ['schedule.layers.0.rotation.length']],
    ['13 months', (s) => (s.layers[0]!.rotation = { unit: 'month', length: 13 }), ['schedule.layers.0.rotation.length']],
    ['an unknown unit', (s) => (s.layers[0]!.rotation = { unit: 'minute' as never, length: 5 }), ['schedule.layers.0.rotation.unit']],
    ['30 February', (s) => (s.layers[0]!.handoff.date = '2026-02-30'), ['schedule.layers.0.handoff.date']],
    ['a handoff at 24:00', (s) => (s.layers[0]!.handoff.time = '24:00'), ['schedule.layers.0.handoff.time']],
    ['a handoff without a leading zero', (s) => (s.layers[0]!.handoff.time = '9:00'), ['schedule.layers.0.handoff.time']],
    ['a start without an offset', (s) => (s.layers[0]!.start = '2026-01-01T00:00:00'), ['schedule.layers.0.start']],
    ['an end before the start', (s) => (s.layers[0]!.end = '2025-12-31T00:00:00Z'), ['schedule.layers.0.end']],
    ['a daily window of no length', (s) => (s.layers[0]!.restrictions = [{ kind: 'daily', start: '09:00', end: '09:00' }]), ['schedule.layers.0.restrictions.0']],
    ['a weekly window of no length', (s) => (s.layers[0]!.restrictions = [{ kind: 'weekly', startDay: 3, start: '09:00', endDay: 3, end: '09:00' }]), ['schedule.layers.0.restrictions.0']],
    ['weekday 0', (s) => (s.layers[0]!.restrictions = [{ kind: 'weekly', startDay: 0, start: '09:00', endDay: 5, end: '17:00' }]), ['schedule.layers.0.restrictions.0.startDay']],
    ['a bad window time', (s) => (s.layers[0]!.restrictions = [{ kind: 'daily', start: '09:00', end: '17:60' }]), ['schedule.layers.0.restrictions.0.end']],
    ['an unknown window kind', (s) => (s.layers[0]!.restrictions = [{ kind: 'monthly' } as never]), ['schedule.layers.0.restrictions.0.kind']],
    ['an override ending at its start', (s) => (s.overrides![0]!.end = s.overrides![0]!.start), ['schedule.overrides.0.end']],
    ['an override replacing someone with themselves', (s) => (s.overrides![0]!.replacesUserId = 'carol'), ['schedule.overrides.0.replacesUserId']],
    ['an override with an empty user', (s) => (s.overrides![0]!.userId = ''), ['schedule.overrides.0.userId']],
    ['two overrides with one id', (s) => s.overrides!.push({ ...s.overrides![0]! }), ['schedule.overrides.1.id']],
    ['a temporary shift outside its range', (s) => (s.temporarySchedules![0]!.shifts[0]!.end = '2026-07-02T00:00:01Z'), ['schedule.temporarySchedules.0.shifts.0']],
    [
      'overlapping temporary schedules',
      (s) => s.temporarySchedules!.push({ id: 't2', start: '2026-07-01T23:00:00Z', end: '2026-07-03T00:00:00Z', shifts: [] }),
      ['schedule.temporarySchedules.1'],
    ],
  ];
  for (const [name, change, fields] of cases) {
    it(`names ${name}`, () => {
      const s = valid();
      change(s);
      assert.deepEqual(fieldsOf(checkSchedule(s)), fields);
    });
  }

  it('allows the same user twice in one rotation and a removing override without a replacement', () => {
    const s = valid();
    s.layers[0]!.participants = ['alice', 'bob', 'alice'];
    s.overrides = [{ id: 'o1', userId: null, start: '2026-06-02T00:00:00Z', end: '2026-06-03T00:00:00Z' }];
    assert.deepEqual(checkSchedule(s), []);
  });
});

describe('rotation arithmetic', () => {
  it('gives each participant one shift in turn from the anchor', () => {
    assert.deepEqual(
      layerShifts(layer('l', ['a', 'b', 'c']), new Date('2026-06-01T00:00:00Z'), new Date('2026-06-04T12:00:00Z'), 'UTC').map((s) => [s.userId, s.start]),
      [
        ['a', utc('2026-06-01T00:00:00Z')],
        ['b', utc('2026-06-02T00:00:00Z')],
        ['c', utc('2026-06-03T00:00:00Z')],
        ['a', utc('2026-06-04T00:00:00Z')],
      ],
    );
  });

  it('counts backwards from an anchor after the layer start: the shift before the anchor is the last participant', () => {
    const [shift] = layerShifts(layer('l', ['a', 'b', 'c']), new Date('2026-05-31T06:00:00Z'), new Date('2026-05-31T07:00:00Z'), 'UTC');
    assert.equal(shift?.userId, 'c');
  });

  it('jumps to a shift decades from the anchor arithmetically (10 227 days after 2000-01-01 is a multiple of 3)', () => {
    const l = layer('l', ['a', 'b', 'c'], { handoff: { date: '2000-01-01', time: '00:00' }, start: '2000-01-01T00:00:00Z' });
    const got = layerShifts(l, new Date('2028-01-01T00:00:00Z'), new Date('2028-01-03T00:00:00Z'), 'UTC').map((s) => s.userId);
    assert.deepEqual(got, ['a', 'b']);
  });

  it('clips shifts to the layer start and end', () => {
    const l = layer('l', ['a', 'b'], { start: '2026-06-01T06:00:00Z', end: '2026-06-02T06:00:00Z' });
    assert.deepEqual(
      layerShifts(l, new Date('2026-05-30T00:00:00Z'), new Date('2026-06-05T00:00:00Z'), 'UTC').map((s) => [s.userId, s.start, s.end]),
      [
        ['a', utc('2026-06-01T06:00:00Z'), utc('2026-06-02T00:00:00Z')],
        ['b', utc('2026-06-02T00:00:00Z'), utc('2026-06-02T06:00:00Z')],
      ],
    );
  });

  it('uses the schedule zone when the layer names none, and its own zone when it does', () => {
    const own = layer('l', ['a'], { handoff: { date: '2026-06-01', time: '09:00', timeZone: 'Asia/Kolkata' } });
    const inherited = layer('l', ['a'], { handoff: { date: '2026-06-01', time: '09:00' } });
    const range = [new Date('2026-06-01T00:00:00Z'), new Date('2026-06-02T00:00:00Z')] as const;
    assert.equal(layerShifts(own, ...range, 'America/New_York')[0]?.end, utc('2026-06-01T09:00:00+05:30'));
    assert.equal(layerShifts(inherited, ...range, 'America/New_York')[0]?.end, utc('2026-06-01T09:00:00-04:00'));
  });
});

describe('final schedule: layers', () => {
  const office = layer('office', ['olga'], { restrictions: [{ kind: 'daily', start: '09:00', end: '17:00' }] });

  it('lets the higher layer win where it has someone, and the lower one fill the rest', () => {
    assert.deepEqual(rows(schedule([layer('base', ['bob']), office]), '2026-06-02T00:00', '2026-06-03T00:00'), [
      ['bob', '2026-06-02T00:00', '2026-06-02T09:00', L('base')],
      ['olga', '2026-06-02T09:00', '2026-06-02T17:00', L('office')],
      ['bob', '2026-06-02T17:00', '2026-06-03T00:00', L('base')],
    ]);
  });

  it('ignores a lower layer entirely where the higher one covers it', () => {
    assert.deepEqual(rows(schedule([office, layer('base', ['bob'])]), '2026-06-02T00:00', '2026-06-03T00:00'), [['bob', '2026-06-02T00:00', '2026-06-03T00:00', L('base')]]);
  });

  it('merges one user\'s touching shifts from the same layer, however many handoffs', () => {
    assert.deepEqual(rows(schedule([layer('base', ['bob', 'bob'])]), '2026-06-01T00:00', '2026-06-08T00:00'), [['bob', '2026-06-01T00:00', '2026-06-08T00:00', L('base')]]);
  });

  it('reports gaps and coverage', () => {
    const result = finalSchedule(schedule([office]), new Date('2026-06-02T00:00:00Z'), new Date('2026-06-03T00:00:00Z'));
    assert.deepEqual(result.gaps, [
      { start: utc('2026-06-02T00:00:00Z'), end: utc('2026-06-02T09:00:00Z') },
      { start: utc('2026-06-02T17:00:00Z'), end: utc('2026-06-03T00:00:00Z') },
    ]);
    assert.equal(result.coverage, 8 / 24);
  });

  it('gives an empty result with full coverage for an empty range, and refuses a reversed one', () => {
    const at = new Date('2026-06-02T00:00:00Z');
    assert.deepEqual(finalSchedule(schedule([office]), at, at), { shifts: [], gaps: [], coverage: 1 });
    assert.throws(() => finalSchedule(schedule([office]), at, new Date(at.getTime() - 1)), RangeError);
  });

  it('has nobody on call and coverage 0 with no layers', () => {
    const result = finalSchedule(schedule([]), new Date('2026-06-02T00:00:00Z'), new Date('2026-06-03T00:00:00Z'));
    assert.equal(result.coverage, 0);
    assert.equal(result.gaps.length, 1);
  });
});

describe('final schedule: overrides and temporary schedules', () => {
  const base = layer('base', ['alice', 'bob']); // alice on 1 June, bob on 2 June (UTC days)
  const o = (id: string, userId: string | null, start: string, end: string, replacesUserId?: string): Override => ({
    id,
    userId,
    start: `${start}:00Z`,
    end: `${end}:00Z`,
    ...(replacesUserId ? { replacesUserId } : {}),
  });

  const cases: [string, Override[], [string, string, string, ShiftSource][]][] = [
    [
      'an override without replacesUserId replaces whoever is on call, across a handoff',
      [o('o1', 'carol', '2026-06-01T20:00', '2026-06-02T04:00')],
      [
        ['alice', '2026-06-01T00:00', '2026-06-01T20:00', L('base')],
        ['carol', '2026-06-01T20:00', '2026-06-02T04:00', O('o1')],
        ['bob', '2026-06-02T04:00', '2026-06-03T00:00', L('base')],
      ],
    ],
    [
      'replacesUserId replaces only that person and does nothing while someone else is on',
      [o('o1', 'carol', '2026-06-01T20:00', '2026-06-02T04:00', 'alice')],
      [
        ['alice', '2026-06-01T00:00', '2026-06-01T20:00', L('base')],
        ['carol', '2026-06-01T20:00', '2026-06-02T00:00', O('o1')],
        ['bob', '2026-06-02T00:00', '2026-06-03T00:00', L('base')],
      ],
    ],
    [
      'userId null removes: nobody is on call',
      [o('o1', null, '2026-06-01T12:00', '2026-06-01T13:00')],
      [
        ['alice', '2026-06-01T00:00', '2026-06-01T12:00', L('base')],
        ['alice', '2026-06-01T13:00', '2026-06-02T00:00', L('base')],
        ['bob', '2026-06-02T00:00', '2026-06-03T00:00', L('base')],
      ],
    ],
    [
      'a later override in the list applies on top of an earlier one',
      [o('o1', 'carol', '2026-06-01T10:00', '2026-06-01T14:00'), o('o2', 'dave', '2026-06-01T12:00', '2026-06-01T16:00')],
      [
        ['alice', '2026-06-01T00:00', '2026-06-01T10:00', L('base')],
        ['carol', '2026-06-01T10:00', '2026-06-01T12:00', O('o1')],
        ['dave', '2026-06-01T12:00', '2026-06-01T16:00', O('o2')],
        ['alice', '2026-06-01T16:00', '2026-06-02T00:00', L('base')],
        ['bob', '2026-06-02T00:00', '2026-06-03T00:00', L('base')],
      ],
    ],
    [
      'replacements chain in list order: alice → carol, then carol → dave',
      [o('o1', 'carol', '2026-06-01T10:00', '2026-06-01T14:00', 'alice'), o('o2', 'dave', '2026-06-01T12:00', '2026-06-01T13:00', 'carol')],
      [
        ['alice', '2026-06-01T00:00', '2026-06-01T10:00', L('base')],
        ['carol', '2026-06-01T10:00', '2026-06-01T12:00', O('o1')],
        ['dave', '2026-06-01T12:00', '2026-06-01T13:00', O('o2')],
        ['carol', '2026-06-01T13:00', '2026-06-01T14:00', O('o1')],
        ['alice', '2026-06-01T14:00', '2026-06-02T00:00', L('base')],
        ['bob', '2026-06-02T00:00', '2026-06-03T00:00', L('base')],
      ],
    ],
    [
      'the overridden person\'s own layer shift resumes after the override, as a separate entry',
      [o('o1', 'bob', '2026-06-01T10:00', '2026-06-01T11:00')],
      [
        ['alice', '2026-06-01T00:00', '2026-06-01T10:00', L('base')],
        ['bob', '2026-06-01T10:00', '2026-06-01T11:00', O('o1')],
        ['alice', '2026-06-01T11:00', '2026-06-02T00:00', L('base')],
        ['bob', '2026-06-02T00:00', '2026-06-03T00:00', L('base')],
      ],
    ],
  ];
  for (const [name, overrides, expected] of cases) {
    it(name, () => assert.deepEqual(rows(schedule([base], overrides), '2026-06-01T00:00', '2026-06-03T00:00'), expected));
  }

  it('fills a gap with an override that replaces nobody in particular, but not with one that replaces someone', () => {
    const office = layer('office', ['olga'], { restrictions: [{ kind: 'daily', start: '09:00', end: '17:00' }] });
    const s = schedule([office], [o('fill', 'nina', '2026-06-01T17:00', '2026-06-01T20:00'), o('swap', 'sam', '2026-06-01T20:00', '2026-06-01T22:00', 'olga')]);
    assert.deepEqual(rows(s, '2026-06-01T08:00', '2026-06-01T23:00'), [
      ['olga', '2026-06-01T09:00', '2026-06-01T17:00', L('office')],
      ['nina', '2026-06-01T17:00', '2026-06-01T20:00', O('fill')],
    ]);
  });

  it('lets a temporary schedule replace layers and overrides in its range, with several people at once and its own gaps', () => {
    const temporary: TemporarySchedule = {
      id: 'holiday',
      start: '2026-06-01T12:00:00Z',
      end: '2026-06-01T18:00:00Z',
      shifts: [
        { userId: 'tom', start: '2026-06-01T12:00:00Z', end: '2026-06-01T15:00:00Z' },
        { userId: 'uma', start: '2026-06-01T14:00:00Z', end: '2026-06-01T16:00:00Z' },
        { userId: 'tom', start: '2026-06-01T14:30:00Z', end: '2026-06-01T15:30:00Z' },
      ],
    };
    const s = schedule([base], [o('o1', 'carol', '2026-06-01T10:00', '2026-06-01T20:00')], [temporary]);
    assert.deepEqual(rows(s, '2026-06-01T09:00', '2026-06-01T21:00'), [
      ['alice', '2026-06-01T09:00', '2026-06-01T10:00', L('base')],
      ['carol', '2026-06-01T10:00', '2026-06-01T12:00', O('o1')],
      ['tom', '2026-06-01T12:00', '2026-06-01T15:30', T('holiday')],
      ['uma', '2026-06-01T14:00', '2026-06-01T16:00', T('holiday')],
      ['carol', '2026-06-01T18:00', '2026-06-01T20:00', O('o1')],
      ['alice', '2026-06-01T20:00', '2026-06-01T21:00', L('base')],
    ]);
    const result = finalSchedule(s, new Date('2026-06-01T09:00:00Z'), new Date('2026-06-01T21:00:00Z'));
    assert.deepEqual(result.gaps, [{ start: utc('2026-06-01T16:00:00Z'), end: utc('2026-06-01T18:00:00Z') }]);
  });
});

describe('onCallAt', () => {
  const s = schedule([layer('base', ['alice', 'bob'])], [{ id: 'o1', userId: 'carol', start: '2026-06-01T20:00:00Z', end: '2026-06-01T21:00:00Z' }]);
  const cases: [string, [string, ShiftSource][]][] = [
    ['2026-06-01T19:59:59.999Z', [['alice', L('base')]]],
    ['2026-06-01T20:00:00.000Z', [['carol', O('o1')]]],
    ['2026-06-01T21:00:00.000Z', [['alice', L('base')]]],
    ['2026-06-02T00:00:00.000Z', [['bob', L('base')]]],
    ['2025-12-31T23:59:59.999Z', []],
  ];
  for (const [at, expected] of cases) {
    it(`at ${at}: ${expected.map(([u]) => u).join(', ') || 'nobody'} (start inclusive, end exclusive, nobody before the layer starts)`, () => {
      assert.deepEqual(
        onCallAt(s, new Date(at)).map((x) => [x.userId, x.source]),
        expected,
      );
    });
  }
});

describe('a year of a large schedule', () => {
  it('computes 5 restricted layers and 500 overrides over a year without overlapping one user', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham'];
    const layers = zones.map((zone, i) =>
      layer(`l${i}`, ['a', 'b', 'c', 'd', 'e', 'f'].slice(0, i + 2), {
        rotation: { unit: (['hour', 'day', 'week', 'month', 'day'] as const)[i]!, length: i + 1 },
        handoff: { date: '2025-03-01', time: '09:30', timeZone: zone },
        restrictions: i % 2 === 0 ? [{ kind: 'daily', start: '08:00', end: '20:00' }] : [{ kind: 'weekly', startDay: 5, start: '18:00', endDay: 1, end: '09:00' }],
      }),
    );
    const overrides: Override[] = Array.from({ length: 500 }, (_, i) => ({
      id: `o${i}`,
      userId: i % 7 === 0 ? null : `x${i % 5}`,
      ...(i % 3 === 0 ? { replacesUserId: 'a' } : {}),
      start: new Date(Date.UTC(2026, 0, 1) + i * 17 * 3_600_000).toISOString(),
      end: new Date(Date.UTC(2026, 0, 1) + i * 17 * 3_600_000 + (1 + (i % 9)) * 3_600_000).toISOString(),
    }));
    const s: Schedule = { timeZone: 'UTC', layers, overrides };
    assert.deepEqual(checkSchedule(s), []);
    const result = finalSchedule(s, new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    assert.ok(result.shifts.length > 1000);
    const lastEnd = new Map<string, string>();
    for (const shift of result.shifts) {
      assert.ok(shift.start >= (lastEnd.get(shift.userId) ?? ''), `${shift.userId} overlaps at ${shift.start}`);
      lastEnd.set(shift.userId, shift.end);
    }
  });
});
