// On-call calculator benchmark: `onCallAt` at random instants of a year and `finalSchedule` over
// the whole year, for a schedule of 5 restricted layers (hourly, daily, weekly, monthly rotations;
// New York and London) with 500 overrides. Each figure is printed with a ratio against a reference
// measured in the same run over the same answer, precomputed:
//   onCallAt      ÷ a binary search in the precomputed final shifts (the floor for "who is on call at t")
//   finalSchedule ÷ one linear pass over the precomputed shifts that rebuilds shifts, gaps and coverage
// Correctness: onCallAt at every sampled instant must equal the lookup in the precomputed final
// schedule, and the linear pass must rebuild the same gaps and coverage; otherwise exit 1.
// Usage: node bench/oncall.ts [instants=10000] [runs=7]
import { checkSchedule, type FinalShift, finalSchedule, type Layer, type OnCall, type Override, onCallAt, type Schedule, type ShiftSource } from '../src/core/schedules/index.ts';

const INSTANTS = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 7);
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2027-01-01T00:00:00Z');
const HOUR = 3_600_000;

/** A small seeded PRNG (mulberry32), so every run measures the same instants and overrides. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function buildSchedule(): Schedule {
  const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
  const base = { start: '2025-06-01T00:00:00Z' };
  const businessHours = [1, 2, 3, 4, 5].map((d) => ({ kind: 'weekly' as const, startDay: d, start: '09:00', endDay: d, end: '17:00' }));
  const layers: Layer[] = [
    { ...base, id: 'monthly', name: 'Escalation (monthly)', participants: people('m', 3), rotation: { unit: 'month', length: 1 }, handoff: { date: '2025-06-01', time: '10:00' } },
    {
      ...base,
      id: 'weekend',
      name: 'Weekend (weekly, London)',
      participants: people('w', 4),
      rotation: { unit: 'week', length: 1 },
      handoff: { date: '2025-06-06', time: '18:00', timeZone: 'Europe/London' },
      restrictions: [{ kind: 'weekly', startDay: 5, start: '18:00', endDay: 1, end: '09:00' }],
    },
    { ...base, id: 'business', name: 'Business hours (daily)', participants: people('b', 5), rotation: { unit: 'day', length: 1 }, handoff: { date: '2025-06-02', time: '09:00' }, restrictions: businessHours },
    {
      ...base,
      id: 'nights',
      name: 'Nights (4-hourly, London)',
      participants: people('n', 6),
      rotation: { unit: 'hour', length: 4 },
      handoff: { date: '2025-06-01', time: '22:00', timeZone: 'Europe/London' },
      restrictions: [{ kind: 'daily', start: '22:00', end: '06:00' }],
    },
    {
      ...base,
      id: 'shadow',
      name: 'Shadow (hourly)',
      participants: people('s', 3),
      rotation: { unit: 'hour', length: 1 },
      handoff: { date: '2025-06-01', time: '00:00' },
      restrictions: [{ kind: 'daily', start: '12:00', end: '14:00' }, { kind: 'weekly', startDay: 3, start: '19:00', endDay: 4, end: '07:30' }],
    },
  ];
  const rnd = random(42);
  const everyone = layers.flatMap((l) => l.participants);
  const span = TO.getTime() - FROM.getTime();
  const overrides: Override[] = Array.from({ length: 500 }, (_, i) => {
    const start = FROM.getTime() + Math.floor((rnd() * span) / 60_000) * 60_000;
    const end = start + (1 + Math.floor(rnd() * 36)) * HOUR;
    const kind = i % 10;
    return {
      id: `o${i}`,
      // Mostly someone else takes over; some remove (nobody), some replace one named person only.
      userId: kind === 0 ? null : `x${i % 7}`,
      ...(kind >= 7 ? { replacesUserId: everyone[Math.floor(rnd() * everyone.length)]! } : {}),
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
    };
  });
  return { timeZone: 'America/New_York', layers, overrides };
}

const sourceKey = (s: ShiftSource) => (s.type === 'layer' ? `layer:${s.layerId}` : s.type === 'override' ? `override:${s.overrideId}` : `temporary:${s.temporaryId}`);
const answerKey = (xs: readonly OnCall[]) => xs.map((x) => `${x.userId}@${sourceKey(x.source)}`).join(',');

/** Reference (a): who is on call at `t` by binary search (no temporary schedules: shifts never overlap). */
function lookup(starts: Float64Array, ends: Float64Array, shifts: readonly FinalShift[], t: number): OnCall[] {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  if (i < 0 || ends[i]! <= t) return [];
  const s = shifts[i]!;
  return [{ userId: s.userId, source: s.source }];
}

/** Reference (b): one pass over the precomputed shifts that rebuilds the output: entries, gaps, coverage. */
function linearPass(shifts: readonly FinalShift[], from: number, to: number) {
  const out: FinalShift[] = [];
  const gaps: { start: string; end: string }[] = [];
  let covered = from;
  let uncovered = 0;
  for (const s of shifts) {
    const start = Date.parse(s.start);
    const end = Date.parse(s.end);
    if (start > covered) {
      gaps.push({ start: new Date(covered).toISOString(), end: s.start });
      uncovered += start - covered;
    }
    if (end > covered) covered = end;
    out.push({ userId: s.userId, start: s.start, end: s.end, source: s.source });
  }
  if (to > covered) {
    gaps.push({ start: new Date(covered).toISOString(), end: new Date(to).toISOString() });
    uncovered += to - covered;
  }
  return { shifts: out, gaps, coverage: (to - from - uncovered) / (to - from) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** Median wall time of `runs` runs of `fn`, in ms. */
function time(runs: number, fn: () => void): number {
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}
const duration = (ms: number) => (ms >= 1 ? `${ms.toFixed(1)} ms` : ms >= 0.001 ? `${(ms * 1000).toFixed(2)} µs` : `${(ms * 1e6).toFixed(0)} ns`);
const ratio = (x: number) => `${x >= 100 ? Math.round(x).toLocaleString('en') : x.toFixed(1)}×`;

function main(): number {
  const schedule = buildSchedule();
  const problems = checkSchedule(schedule);
  if (problems.length > 0) {
    console.error('the benchmark schedule is invalid', problems);
    return 1;
  }
  const from = FROM.getTime();
  const to = TO.getTime();

  let t = performance.now();
  const final = finalSchedule(schedule, FROM, TO);
  const cold = performance.now() - t;
  const starts = Float64Array.from(final.shifts, (s) => Date.parse(s.start));
  const ends = Float64Array.from(final.shifts, (s) => Date.parse(s.end));

  const rnd = random(7);
  const instants = Array.from({ length: INSTANTS }, () => new Date(from + Math.floor(rnd() * (to - from))));

  // Correctness first: every sampled instant, and the reference pass against the calculator.
  let mismatches = 0;
  for (const at of instants) {
    const got = answerKey(onCallAt(schedule, at));
    const want = answerKey(lookup(starts, ends, final.shifts, at.getTime()));
    if (got !== want && mismatches++ < 5) console.error(`mismatch at ${at.toISOString()}: onCallAt ${got || 'nobody'}, final schedule ${want || 'nobody'}`);
  }
  const rebuilt = linearPass(final.shifts, from, to);
  const passAgrees = JSON.stringify(rebuilt.gaps) === JSON.stringify(final.gaps) && Math.abs(rebuilt.coverage - final.coverage) < 1e-12;
  if (!passAgrees) console.error('the linear reference pass does not rebuild the calculator’s gaps and coverage');

  // (a) onCallAt at the sampled instants, per call.
  let sink = 0;
  for (let i = 0; i < Math.min(1000, instants.length); i++) sink += onCallAt(schedule, instants[i]!).length; // warm-up
  const onCallRun = time(Math.max(3, Math.ceil(RUNS / 2)), () => {
    for (const at of instants) sink += onCallAt(schedule, at).length;
  });
  const ms = instants.map((d) => d.getTime());
  const repeat = 50;
  for (let i = 0; i < ms.length; i++) sink += lookup(starts, ends, final.shifts, ms[i]!).length; // warm-up
  const lookupRun = time(RUNS, () => {
    for (let r = 0; r < repeat; r++) for (let i = 0; i < ms.length; i++) sink += lookup(starts, ends, final.shifts, ms[i]!).length;
  });
  // The same instants without the overrides: what the 500 overrides cost per call.
  const layersOnly: Schedule = { ...schedule, overrides: [] };
  for (let i = 0; i < Math.min(1000, instants.length); i++) sink += onCallAt(layersOnly, instants[i]!).length; // warm-up
  const layersOnlyRun = time(Math.max(3, Math.ceil(RUNS / 2)), () => {
    for (const at of instants) sink += onCallAt(layersOnly, at).length;
  });
  const onCallPer = onCallRun / instants.length;
  const layersOnlyPer = layersOnlyRun / instants.length;
  const lookupPer = lookupRun / (instants.length * repeat);

  // (b) finalSchedule over the year, per call.
  for (let i = 0; i < 2; i++) sink += finalSchedule(schedule, FROM, TO).shifts.length; // warm-up
  const finalPer = time(RUNS, () => {
    sink += finalSchedule(schedule, FROM, TO).shifts.length;
  });
  for (let i = 0; i < 5; i++) sink += linearPass(final.shifts, from, to).shifts.length; // warm-up
  const passRepeat = 20;
  const passPer =
    time(RUNS, () => {
      for (let r = 0; r < passRepeat; r++) sink += linearPass(final.shifts, from, to).shifts.length;
    }) / passRepeat;

  const coverage = `${(final.coverage * 100).toFixed(1)} %`;
  console.log(`\nOn-call calculator: 5 restricted layers (hourly ×2, daily, weekly, monthly; New York and London), 500 overrides, 2026`);
  console.log(`  final schedule of the year: ${final.shifts.length.toLocaleString('en')} shifts, ${final.gaps.length.toLocaleString('en')} gaps, coverage ${coverage}; first (cold) call ${duration(cold)}`);
  console.log(`  ${INSTANTS.toLocaleString('en')} random instants; medians of ${RUNS} runs after warm-up\n`);
  const rows = [
    ['measure', 'Vigil', 'reference', 'ratio'],
    ['---', '---:', '---:', '---:'],
    [`onCallAt, per call`, duration(onCallPer), `${duration(lookupPer)} binary search`, ratio(onCallPer / lookupPer)],
    [`onCallAt, same layers without overrides`, duration(layersOnlyPer), `${duration(lookupPer)} binary search`, ratio(layersOnlyPer / lookupPer)],
    [`finalSchedule over the year, per call`, duration(finalPer), `${duration(passPer)} linear pass`, ratio(finalPer / passPer)],
  ];
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\ncorrectness: onCallAt = lookup in the final schedule at ${INSTANTS - mismatches} of ${INSTANTS} instants; reference pass ${passAgrees ? 'agrees' : 'DISAGREES'}`);
  if (sink < 0) console.log(sink); // keeps the measured calls from being optimised away
  return mismatches === 0 && passAgrees ? 0 : 1;
}

process.exitCode = main();
