import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkSchedule, type Layer, type Override, type Restriction, type Schedule, type TemporarySchedule } from './schedule.ts';
import { type FinalSchedule, finalSchedule, layerShifts, onCallAt, type ShiftSource } from './schedule-math.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const BASE = Date.UTC(2025, 0, 1);
const YEARS = 4 * 365 * DAY; // 2025–2028

const ZONES = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
// Times around every zone's DST changes, plus ordinary ones.
const TIMES = ['00:00', '00:30', '01:00', '01:30', '01:45', '02:00', '02:15', '02:30', '02:45', '03:00', '03:30', '03:45', '09:00', '12:00', '23:30'];
const USERS = ['a', 'b', 'c', 'd'];

const iso = (ms: number) => new Date(ms).toISOString();
const hhmm = fc.oneof(
  fc.constantFrom(...TIMES),
  fc.integer({ min: 0, max: 1439 }).map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`),
);
const localDate = fc.integer({ min: -200, max: 4 * 365 }).map((d) => iso(BASE + d * DAY).slice(0, 10));
const zone = fc.constantFrom(...ZONES);
const rotation = fc.oneof(
  fc.record({ unit: fc.constant('hour' as const), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ unit: fc.constant('day' as const), length: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ unit: fc.constant('week' as const), length: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ unit: fc.constant('month' as const), length: fc.integer({ min: 1, max: 2 }) }),
);
const restriction: fc.Arbitrary<Restriction> = fc
  .oneof(
    fc.record({ kind: fc.constant('daily' as const), start: hhmm, end: hhmm }),
    fc.record({ kind: fc.constant('weekly' as const), startDay: fc.integer({ min: 1, max: 7 }), start: hhmm, endDay: fc.integer({ min: 1, max: 7 }), end: hhmm }),
  )
  .filter((r) => (r.kind === 'daily' ? r.start !== r.end : r.start !== r.end || r.startDay !== r.endDay));

/** A query window somewhere in 2025–2028, up to 10 days long, on whole minutes. */
const windowArb = fc.record({ from: fc.integer({ min: 0, max: YEARS / MINUTE }).map((m) => BASE + m * MINUTE), minutes: fc.integer({ min: 1, max: (10 * DAY) / MINUTE }) }).map((w) => ({ from: w.from, to: w.from + w.minutes * MINUTE }));

function layerArb(id: string, from: number, restricted: boolean): fc.Arbitrary<Layer> {
  return fc
    .record({
      participants: fc.array(fc.constantFrom(...USERS), { minLength: 1, maxLength: 4 }),
      rotation,
      handoff: fc.record({ date: localDate, time: hhmm, timeZone: fc.option(zone, { nil: undefined }) }),
      startShift: fc.integer({ min: -20 * 24 * 60, max: 5 * 24 * 60 }),
      length: fc.option(fc.integer({ min: 60, max: 40 * 24 * 60 }), { nil: undefined }),
      restrictions: restricted ? fc.array(restriction, { minLength: 1, maxLength: 3 }) : fc.constant(undefined),
    })
    .map(({ participants, rotation, handoff, startShift, length, restrictions }) => {
      const start = from + startShift * MINUTE;
      const layer: Layer = { id, name: id, participants, rotation, handoff: handoff.timeZone ? handoff : { date: handoff.date, time: handoff.time }, start: iso(start) };
      if (length !== undefined) layer.end = iso(start + length * MINUTE);
      if (restrictions) layer.restrictions = restrictions;
      return layer;
    });
}

function overridesArb(from: number): fc.Arbitrary<Override[]> {
  return fc.array(
    fc
      .record({
        start: fc.integer({ min: -24 * 60, max: 10 * 24 * 60 }),
        minutes: fc.integer({ min: 1, max: 2 * 24 * 60 }),
        userId: fc.constantFrom('a', 'b', 'e', null),
        replacesUserId: fc.option(fc.constantFrom(...USERS), { nil: undefined }),
      }),
    { maxLength: 6 },
  ).map((list) =>
    list.map((o, i) => {
      const override: Override = { id: `o${i}`, userId: o.userId, start: iso(from + o.start * MINUTE), end: iso(from + (o.start + o.minutes) * MINUTE) };
      if (o.replacesUserId !== undefined && o.replacesUserId !== o.userId) override.replacesUserId = o.replacesUserId;
      return override;
    }),
  );
}

function temporariesArb(from: number): fc.Arbitrary<TemporarySchedule[]> {
  const one = fc.record({
    gap: fc.integer({ min: 0, max: 3 * 24 * 60 }),
    minutes: fc.integer({ min: 1, max: 2 * 24 * 60 }),
    shifts: fc.array(fc.record({ user: fc.constantFrom(...USERS, 'e'), a: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 3 }),
  });
  return fc.array(one, { maxLength: 2 }).map((list) => {
    let cursor = from - DAY;
    return list.map((t, i) => {
      const start = cursor + t.gap * MINUTE;
      const end = start + t.minutes * MINUTE;
      cursor = end;
      const shifts = t.shifts
        .map((s) => {
          const lo = start + Math.floor(Math.min(s.a, s.b) * t.minutes) * MINUTE;
          const hi = start + Math.ceil(Math.max(s.a, s.b) * t.minutes) * MINUTE;
          return { userId: s.user, start: iso(lo), end: iso(Math.max(hi, lo + MINUTE)) };
        })
        .filter((s) => Date.parse(s.end) <= end);
      return { id: `t${i}`, start: iso(start), end: iso(end), shifts };
    });
  });
}

interface Case {
  schedule: Schedule;
  from: number;
  to: number;
}

const caseArb = (opts: { overrides: boolean; temporaries: boolean }): fc.Arbitrary<Case> =>
  windowArb.chain(({ from, to }) =>
    fc
      .record({
        timeZone: zone,
        layers: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }).chain((restricted) => fc.tuple(...restricted.map((r, i) => layerArb(`l${i}`, from, r)))),
        overrides: opts.overrides ? overridesArb(from) : fc.constant<Override[]>([]),
        temporarySchedules: opts.temporaries ? temporariesArb(from) : fc.constant<TemporarySchedule[]>([]),
      })
      .map((schedule) => ({ schedule, from, to })),
  );

const span = (from: number, to: number) => [new Date(from), new Date(to)] as const;
const ms = (s: string) => Date.parse(s);
const sourceKey = (s: ShiftSource) => JSON.stringify(s);

/** Everything in `schedule` that can change who is on call, as instants. */
function boundaries(c: Case): number[] {
  const points = new Set<number>([c.from, c.to]);
  for (const l of c.schedule.layers) for (const s of layerShifts(l, ...span(c.from, c.to), c.schedule.timeZone)) points.add(ms(s.start)).add(ms(s.end));
  for (const o of c.schedule.overrides ?? []) points.add(ms(o.start)).add(ms(o.end));
  for (const t of c.schedule.temporarySchedules ?? []) {
    points.add(ms(t.start)).add(ms(t.end));
    for (const s of t.shifts) points.add(ms(s.start)).add(ms(s.end));
  }
  return [...points].filter((p) => p >= c.from && p <= c.to).sort((a, b) => a - b);
}

/**
 * The reference: who is on call at t, straight from the written rules, by linear scans over each
 * layer's own shifts, the overrides and the temporary schedules.
 */
function reference(c: Case, t: number): string[] {
  const s = c.schedule;
  const temporary = (s.temporarySchedules ?? []).filter((x) => ms(x.start) <= t && t < ms(x.end)).at(-1);
  if (temporary) return [...new Set(temporary.shifts.filter((x) => ms(x.start) <= t && t < ms(x.end)).map((x) => `${x.userId}|t:${temporary.id}`))].sort();
  let onCall: { user: string; source: string }[] = [];
  for (let i = s.layers.length - 1; i >= 0; i--) {
    const l = s.layers[i]!;
    const shift = layerShifts(l, ...span(c.from, c.to), s.timeZone).find((x) => ms(x.start) <= t && t < ms(x.end));
    if (shift) {
      onCall = [{ user: shift.userId, source: `l:${l.id}` }];
      break;
    }
  }
  for (const o of s.overrides ?? []) {
    if (!(ms(o.start) <= t && t < ms(o.end))) continue;
    if (o.replacesUserId === undefined) onCall = o.userId === null ? [] : [{ user: o.userId, source: `o:${o.id}` }];
    else if (onCall.some((x) => x.user === o.replacesUserId)) {
      onCall = onCall.filter((x) => x.user !== o.replacesUserId);
      if (o.userId !== null && !onCall.some((x) => x.user === o.userId)) onCall.push({ user: o.userId, source: `o:${o.id}` });
    }
  }
  return onCall.map((x) => `${x.user}|${x.source}`).sort();
}

const short = (src: ShiftSource) => (src.type === 'layer' ? `l:${src.layerId}` : src.type === 'override' ? `o:${src.overrideId}` : `t:${src.temporaryId}`);
const coveringAt = (final: FinalSchedule, t: number) =>
  final.shifts
    .filter((x) => ms(x.start) <= t && t < ms(x.end))
    .map((x) => `${x.userId}|${short(x.source)}`)
    .sort();

/** Local date-time parts read with Intl, independently of the code under test. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function local(t: number, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, naive: Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) };
}
const isTransition = (t: number, timeZone: string) => {
  const before = local(t - MINUTE, timeZone).naive;
  const at = local(t, timeZone).naive;
  return at - before !== MINUTE;
};

// SCHEDULE_PROPERTY_RUNS=5000 for a longer search when changing the calculator.
const RUNS = { numRuns: Number(process.env.SCHEDULE_PROPERTY_RUNS ?? 150) };

describe('properties of one layer', () => {
  it('without restrictions, shifts are positive, in order and contiguous over the layer\'s part of the range', () => {
    fc.assert(
      fc.property(windowArb.chain(({ from, to }) => fc.tuple(fc.constant(from), fc.constant(to), layerArb('l', from, false), zone)), ([from, to, l, tz]) => {
        const shifts = layerShifts(l, ...span(from, to), tz);
        const lo = Math.max(from, ms(l.start));
        const hi = Math.min(to, l.end ? ms(l.end) : Infinity);
        if (lo >= hi) return assert.deepEqual(shifts, []);
        assert.equal(ms(shifts[0]!.start), lo);
        assert.equal(ms(shifts.at(-1)!.end), hi);
        for (let i = 0; i < shifts.length; i++) {
          assert.ok(ms(shifts[i]!.start) < ms(shifts[i]!.end));
          if (i > 0) assert.equal(shifts[i]!.start, shifts[i - 1]!.end);
        }
      }),
      RUNS,
    );
  });

  it('hands off at the wall-clock handoff time (or at the end of a DST gap), a whole number of rotations from the anchor', () => {
    fc.assert(
      fc.property(windowArb.chain(({ from, to }) => fc.tuple(fc.constant(from), fc.constant(to), layerArb('l', from, false), zone)), ([from, to, l, tz]) => {
        const timeZone = l.handoff.timeZone ?? tz;
        const shifts = layerShifts(l, ...span(from, to), tz);
        const anchor = Date.UTC(Number(l.handoff.date.slice(0, 4)), Number(l.handoff.date.slice(5, 7)) - 1, Number(l.handoff.date.slice(8, 10)));
        const anchorMinutes = Number(l.handoff.time.slice(0, 2)) * 60 + Number(l.handoff.time.slice(3, 5));
        for (const s of shifts.slice(1)) {
          const t = ms(s.start);
          if (isTransition(t, timeZone)) continue; // a handoff moved to the end of a gap
          const at = local(t, timeZone);
          const { unit, length } = l.rotation;
          if (unit === 'hour') {
            const hoursFromAnchor = (at.naive - anchor - anchorMinutes * MINUTE) / HOUR;
            assert.ok(Number.isInteger(hoursFromAnchor) && Math.abs(hoursFromAnchor % length) === 0, `${s.start} is ${hoursFromAnchor} wall-clock hours from the anchor`);
            continue;
          }
          assert.equal(at.time, l.handoff.time, `${s.start} in ${timeZone}`);
          const day = Date.parse(`${at.date}T00:00:00Z`);
          if (unit !== 'month') assert.equal(Math.abs(((day - anchor) / DAY) % (unit === 'day' ? length : 7 * length)), 0);
          else {
            const wanted = Number(l.handoff.date.slice(8, 10));
            const lastDay = new Date(Date.UTC(Number(at.date.slice(0, 4)), Number(at.date.slice(5, 7)), 0)).getUTCDate();
            assert.equal(Number(at.date.slice(8, 10)), Math.min(wanted, lastDay), `${s.start}: day of month`);
          }
        }
      }),
      RUNS,
    );
  });

  it('with restrictions, pieces are in order, never overlap and lie inside the unrestricted shift of the same person', () => {
    fc.assert(
      fc.property(windowArb.chain(({ from, to }) => fc.tuple(fc.constant(from), fc.constant(to), layerArb('l', from, true), zone)), ([from, to, l, tz]) => {
        const pieces = layerShifts(l, ...span(from, to), tz);
        const { restrictions: _, ...free } = l;
        const whole = layerShifts(free, ...span(from, to), tz);
        for (let i = 0; i < pieces.length; i++) {
          const p = pieces[i]!;
          assert.ok(ms(p.start) < ms(p.end));
          if (i > 0) assert.ok(ms(pieces[i - 1]!.end) <= ms(p.start));
          assert.ok(whole.some((w) => w.userId === p.userId && ms(w.start) <= ms(p.start) && ms(p.end) <= ms(w.end)), `${p.userId} ${p.start}`);
        }
      }),
      RUNS,
    );
  });
});

describe('properties of the final schedule', () => {
  it('covers exactly what the layers, overrides and temporary schedules say, instant by instant', () => {
    fc.assert(
      fc.property(caseArb({ overrides: true, temporaries: true }), (c) => {
        assert.deepEqual(checkSchedule(c.schedule), []);
        const final = finalSchedule(c.schedule, ...span(c.from, c.to));
        const points = boundaries(c);
        let covered = 0;
        for (let i = 0; i < points.length - 1; i++) {
          const t = points[i]!;
          const want = reference(c, t);
          assert.deepEqual(coveringAt(final, t), want, `at ${iso(t)}`);
          if (want.length > 0) covered += points[i + 1]! - t;
        }
        const uncovered = final.gaps.reduce((sum, g) => sum + ms(g.end) - ms(g.start), 0);
        assert.equal(c.to - c.from - uncovered, covered);
        assert.ok(Math.abs(final.coverage - covered / (c.to - c.from)) < 1e-12);
      }),
      RUNS,
    );
  });

  it('without overrides, covers exactly the union of the layers\' (restricted) shifts', () => {
    fc.assert(
      fc.property(caseArb({ overrides: false, temporaries: false }), (c) => {
        const final = finalSchedule(c.schedule, ...span(c.from, c.to));
        const all = c.schedule.layers.flatMap((l) => layerShifts(l, ...span(c.from, c.to), c.schedule.timeZone)).map((s) => [ms(s.start), ms(s.end)] as const);
        all.sort((a, b) => a[0] - b[0]);
        let union = 0;
        let end = -Infinity;
        for (const [s, e] of all) {
          if (e <= end) continue;
          union += e - Math.max(s, end);
          end = e;
        }
        const covered = final.shifts.reduce((sum, x) => sum + ms(x.end) - ms(x.start), 0);
        assert.equal(covered, union);
      }),
      RUNS,
    );
  });

  it('keeps one user\'s entries apart, sorted by start then user, and merges what touches', () => {
    fc.assert(
      fc.property(caseArb({ overrides: true, temporaries: true }), (c) => {
        const { shifts } = finalSchedule(c.schedule, ...span(c.from, c.to));
        for (let i = 1; i < shifts.length; i++) {
          const [a, b] = [shifts[i - 1]!, shifts[i]!];
          assert.ok(ms(a.start) < ms(b.start) || (a.start === b.start && a.userId < b.userId), `order at ${b.start}`);
        }
        const last = new Map<string, (typeof shifts)[number]>();
        for (const s of shifts) {
          const prev = last.get(s.userId);
          if (prev) {
            assert.ok(ms(prev.end) <= ms(s.start), `${s.userId} overlaps at ${s.start}`);
            assert.ok(!(prev.end === s.start && sourceKey(prev.source) === sourceKey(s.source)), `${s.userId} not merged at ${s.start}`);
          }
          last.set(s.userId, s);
        }
      }),
      RUNS,
    );
  });

  it('lets the last override in the list win everywhere in its range (outside temporary schedules)', () => {
    fc.assert(
      fc.property(
        caseArb({ overrides: true, temporaries: false }).chain((c) =>
          fc.tuple(fc.constant(c), fc.integer({ min: 0, max: c.to - c.from - 1 }), fc.integer({ min: 1, max: 2 * DAY }), fc.constantFrom('z', null)),
        ),
        ([c, offset, length, userId]) => {
          const start = c.from + offset;
          const end = Math.min(c.to, start + length);
          const o: Override = { id: 'winner', userId, start: iso(start), end: iso(end) };
          const final = finalSchedule({ ...c.schedule, overrides: [...(c.schedule.overrides ?? []), o] }, ...span(c.from, c.to));
          const inside = final.shifts.filter((x) => ms(x.start) < end && start < ms(x.end));
          if (userId === null) {
            assert.deepEqual(inside, []);
            assert.ok(final.gaps.some((g) => ms(g.start) <= start && end <= ms(g.end)));
          } else {
            assert.deepEqual(
              inside.map((x) => [x.userId, x.source]),
              [['z', { type: 'override', overrideId: 'winner' }]],
            );
            assert.ok(ms(inside[0]!.start) <= start && end <= ms(inside[0]!.end));
          }
        },
      ),
      RUNS,
    );
  });

  it('computes [a, c) as [a, b) followed by [b, c), merged at b', () => {
    fc.assert(
      fc.property(
        caseArb({ overrides: true, temporaries: true }).chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 1, max: Math.max(1, c.to - c.from - 1) }))),
        ([c, cut]) => {
          const b = Math.min(c.from + cut, c.to);
          const whole = finalSchedule(c.schedule, ...span(c.from, c.to));
          const left = finalSchedule(c.schedule, ...span(c.from, b));
          const right = finalSchedule(c.schedule, ...span(b, c.to));
          const at = iso(b);
          const shifts = left.shifts.map((x) => ({ ...x }));
          for (const x of right.shifts) {
            const joined = shifts.find((y) => y.end === at && x.start === at && y.userId === x.userId && sourceKey(y.source) === sourceKey(x.source));
            if (joined) joined.end = x.end;
            else shifts.push({ ...x });
          }
          assert.deepEqual(shifts, whole.shifts);
          const gaps = left.gaps.map((g) => ({ ...g }));
          for (const g of right.gaps) {
            const lastGap = gaps.at(-1);
            if (lastGap && lastGap.end === g.start) lastGap.end = g.end;
            else gaps.push({ ...g });
          }
          assert.deepEqual(gaps, whole.gaps);
        },
      ),
      RUNS,
    );
  });

  it('never rewrites the past: what changes only from b on leaves [a, b) as it was', () => {
    fc.assert(
      fc.property(
        caseArb({ overrides: true, temporaries: true }).chain((c) =>
          fc.tuple(fc.constant(c), fc.integer({ min: 0, max: c.to - c.from }), layerArb('later', c.from, false), fc.integer({ min: 0, max: DAY })),
        ),
        ([c, cut, extra, after]) => {
          const b = c.from + cut;
          const before = finalSchedule(c.schedule, ...span(c.from, b));
          // From b on: every layer ends at b (if later), a new top layer and a new override begin.
          const edited: Schedule = {
            ...c.schedule,
            layers: [
              ...c.schedule.layers.map((l) => (l.end === undefined || ms(l.end) > b ? { ...l, end: iso(Math.max(b, ms(l.start) + 1)) } : l)),
              { ...extra, start: iso(b + after) },
            ],
            overrides: [...(c.schedule.overrides ?? []), { id: 'future', userId: 'z', start: iso(b + after), end: iso(b + after + HOUR) }],
          };
          assert.deepEqual(finalSchedule(edited, ...span(c.from, b)), before);
        },
      ),
      RUNS,
    );
  });

  it('agrees with onCallAt at random instants ("preview equals paging")', () => {
    fc.assert(
      fc.property(
        caseArb({ overrides: true, temporaries: true }).chain((c) => fc.tuple(fc.constant(c), fc.array(fc.integer({ min: 0, max: c.to - c.from - 1 }), { minLength: 1, maxLength: 10 }))),
        ([c, offsets]) => {
          const final = finalSchedule(c.schedule, ...span(c.from, c.to));
          for (const offset of offsets) {
            const t = c.from + offset;
            const now = onCallAt(c.schedule, new Date(t)).map((x) => `${x.userId}|${short(x.source)}`);
            assert.deepEqual(now, coveringAt(final, t), `at ${iso(t)}`);
          }
        },
      ),
      RUNS,
    );
  });
});
