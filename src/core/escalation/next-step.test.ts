import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type EscalationState, escalateTo, initialState, manualState, nextStep, type Resolved, simulate } from './next-step.ts';
import type { Level, PolicyRules } from './policy.ts';

const MINUTE = 60_000;
const T0 = new Date('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
const user = (id: string) => ({ type: 'user' as const, id });
const sched = (id: string) => ({ type: 'schedule' as const, id });
const team = (id: string) => ({ type: 'team' as const, id });
const level = (delayMinutes: number, targets: Level['targets'], mode: Level['mode'] = 'all'): Level => ({ delayMinutes, targets, mode });
const resolve = (entries: Record<string, string[]>): Resolved => new Map(Object.entries(entries));

describe('nextStep', () => {
  const rules: PolicyRules = {
    repeat: 1,
    levels: [level(5, [user('u1'), sched('s1')]), level(10, [team('t1')], 'round-robin'), level(15, [sched('empty')])],
  };
  const people = resolve({ 'user:u1': ['u1'], 'schedule:s1': ['u2', 'u1'], 'team:t1': ['u3', 'u4'], 'schedule:empty': [] });

  const table: { name: string; state: EscalationState; expect: ReturnType<typeof nextStep> }[] = [
    {
      name: 'fires level 0 to everyone, deduplicated in target order, and waits its delay',
      state: initialState(),
      expect: { fired: { level: 0, pass: 0, userIds: ['u1', 'u2'] }, skipped: [], next: { state: { level: 1, pass: 0, cursors: [] }, runAt: at(5) } },
    },
    {
      name: 'round-robin pages the person at the cursor and moves the cursor on',
      state: { level: 1, pass: 0, cursors: [] },
      expect: { fired: { level: 1, pass: 0, userIds: ['u3'] }, skipped: [], next: { state: { level: 2, pass: 0, cursors: [0, 1] }, runAt: at(10) } },
    },
    {
      name: 'round-robin wraps its cursor',
      state: { level: 1, pass: 1, cursors: [0, 1] },
      expect: { fired: { level: 1, pass: 1, userIds: ['u4'] }, skipped: [], next: { state: { level: 2, pass: 1, cursors: [0, 0] }, runAt: at(10) } },
    },
    {
      name: 'skips a level that resolves to nobody without waiting, starting the next pass at once',
      state: { level: 2, pass: 0, cursors: [0, 1] },
      expect: {
        fired: { level: 0, pass: 1, userIds: ['u1', 'u2'] },
        skipped: [{ level: 2, pass: 0, reason: 'resolves to nobody' }],
        next: { state: { level: 1, pass: 1, cursors: [0, 1] }, runAt: at(5) },
      },
    },
    {
      name: 'is done after skipping the empty last level of the last pass',
      state: { level: 2, pass: 1, cursors: [] },
      expect: { fired: null, skipped: [{ level: 2, pass: 1, reason: 'resolves to nobody' }], next: null },
    },
  ];
  for (const c of table) {
    it(c.name, () => assert.deepEqual(nextStep(rules, c.state, T0, people), c.expect));
  }

  it('is done after the last level of the last pass fires', () => {
    const once: PolicyRules = { repeat: 0, levels: [level(5, [user('u1')])] };
    assert.deepEqual(nextStep(once, initialState(), T0, people), { fired: { level: 0, pass: 0, userIds: ['u1'] }, skipped: [], next: null });
  });

  it('treats a target missing from the resolution as nobody', () => {
    const r: PolicyRules = { repeat: 0, levels: [level(5, [sched('gone')]), level(5, [user('u1')])] };
    assert.deepEqual(nextStep(r, initialState(), T0, people).skipped, [{ level: 0, pass: 0, reason: 'resolves to nobody' }]);
  });

  it('reports every skipped level in order when nobody is reachable at all', () => {
    const r: PolicyRules = { repeat: 1, levels: [level(5, [sched('empty')]), level(5, [sched('gone')])] };
    const step = nextStep(r, initialState(), T0, people);
    assert.equal(step.fired, null);
    assert.equal(step.next, null);
    assert.deepEqual(step.skipped.map((s) => [s.level, s.pass]), [[0, 0], [1, 0], [0, 1], [1, 1]]);
  });

  it('simulates the whole escalation: times are the running sum of the delays of the levels that fired', () => {
    const steps = simulate(rules, T0, people);
    assert.deepEqual(
      steps.map((s) => [s.at.toISOString(), s.step.fired?.level, s.step.fired?.pass, s.step.fired?.userIds]),
      [
        [at(0).toISOString(), 0, 0, ['u1', 'u2']],
        [at(5).toISOString(), 1, 0, ['u3']],
        [at(15).toISOString(), 0, 1, ['u1', 'u2']],
        [at(20).toISOString(), 1, 1, ['u4']],
        [at(30).toISOString(), undefined, undefined, undefined],
      ],
    );
  });
});

describe('escalateTo', () => {
  const rules: PolicyRules = { repeat: 0, levels: [level(5, [user('a')]), level(5, [user('b')], 'round-robin'), level(5, [user('c')])] };
  it('moves to level K in the same pass, keeping the cursors', () => {
    assert.deepEqual(escalateTo(rules, { level: 0, pass: 0, cursors: [0, 1] }, 2), { level: 2, pass: 0, cursors: [0, 1] });
    assert.deepEqual(escalateTo(rules, { level: 2, pass: 0, cursors: [] }, 0), { level: 0, pass: 0, cursors: [] });
  });
  it('refuses a level that does not exist', () => {
    for (const k of [-1, 3, 1.5]) assert.equal(escalateTo(rules, initialState(), k), null);
  });
});

describe('manualState', () => {
  const rules: PolicyRules = { repeat: 1, levels: [level(5, [user('a')]), level(5, [user('b')]), level(5, [user('c')])] };
  const at = { level: 1, pass: 0, cursors: [1] };
  for (const [name, k, expected] of [
    ['escalate now: the level due next, as it is', undefined, { level: 1, pass: 0, cursors: [1] }],
    ['the level due next: same pass', 1, { level: 1, pass: 0, cursors: [1] }],
    ['a later level: same pass (the levels between are jumped over)', 2, { level: 2, pass: 0, cursors: [1] }],
    ['a level this pass already reached: a new pass, so it pages again', 0, { level: 0, pass: 1, cursors: [1] }],
    ['no such level', 3, null],
  ] as const) {
    it(name, () => assert.deepEqual(manualState(rules, at, k), expected));
  }
  it('a new pass after the last repeat still ends after the last level', () => {
    const state = manualState(rules, { level: 2, pass: 1, cursors: [] }, 0)!;
    assert.deepEqual(state, { level: 0, pass: 2, cursors: [] });
    const resolved: Resolved = new Map([['user:a', ['a']], ['user:b', ['b']], ['user:c', ['c']]]);
    let step = nextStep(rules, state, new Date(0), resolved);
    let firings = 1;
    while (step.next) {
      step = nextStep(rules, step.next.state, step.next.runAt, resolved);
      firings++;
    }
    assert.equal(firings, 3);
  });
});

// Properties over random policies and random resolutions.
const USERS = ['a', 'b', 'c', 'd', 'e'];
const TARGETS = ['user:a', 'user:b', 'schedule:s1', 'schedule:s2', 'team:t1', 'team:t2'];
const targetArb = fc.constantFrom(...TARGETS).map((k) => {
  const [type, id] = k.split(':') as ['user' | 'schedule' | 'team', string];
  return { type, id };
});
const levelArb = fc.record({
  delayMinutes: fc.integer({ min: 1, max: 1440 }),
  mode: fc.constantFrom('all' as const, 'round-robin' as const),
  targets: fc.uniqueArray(targetArb, { minLength: 1, maxLength: 4, selector: (t) => `${t.type}:${t.id}` }),
});
const rulesArb = fc.record({ repeat: fc.integer({ min: 0, max: 9 }), levels: fc.array(levelArb, { minLength: 1, maxLength: 20 }) });
const resolvedArb = fc
  .record(Object.fromEntries(TARGETS.map((k) => [k, fc.array(fc.constantFrom(...USERS), { maxLength: 4 })])) as Record<string, fc.Arbitrary<string[]>>)
  .map((r) => new Map(Object.entries(r)) as Resolved);

describe('nextStep properties', () => {
  it('never notifies the same user twice in one firing, and only people the level resolves to', () => {
    fc.assert(
      fc.property(rulesArb, resolvedArb, (rules, resolved) => {
        for (const { step } of simulate(rules, T0, resolved)) {
          if (!step.fired) continue;
          assert.equal(new Set(step.fired.userIds).size, step.fired.userIds.length);
          const allowed = new Set(rules.levels[step.fired.level]!.targets.flatMap((t) => resolved.get(`${t.type}:${t.id}`) ?? []));
          for (const u of step.fired.userIds) assert.ok(allowed.has(u));
          if (rules.levels[step.fired.level]!.mode === 'round-robin') assert.equal(step.fired.userIds.length, 1);
        }
      }),
    );
  });

  it('runs steps at non-decreasing times and fires at most levels × (repeat + 1) times', () => {
    fc.assert(
      fc.property(rulesArb, resolvedArb, (rules, resolved) => {
        const steps = simulate(rules, T0, resolved);
        for (let i = 1; i < steps.length; i++) assert.ok(steps[i]!.at >= steps[i - 1]!.at);
        assert.ok(steps.filter((s) => s.step.fired).length <= rules.levels.length * (rules.repeat + 1));
        assert.equal(steps.at(-1)!.step.next, null, 'the escalation ends');
      }),
    );
  });

  it('never waits on a skipped level: the next step is exactly the delay of the level that fired', () => {
    fc.assert(
      fc.property(rulesArb, resolvedArb, fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 9 }), (rules, resolved, l, p) => {
        const state = { level: l % rules.levels.length, pass: p % (rules.repeat + 1), cursors: [] };
        const step = nextStep(rules, state, T0, resolved);
        if (step.fired && step.next) assert.equal(step.next.runAt.getTime() - T0.getTime(), rules.levels[step.fired.level]!.delayMinutes * MINUTE);
        for (const s of step.skipped) assert.equal(rules.levels[s.level]!.targets.flatMap((t) => resolved.get(`${t.type}:${t.id}`) ?? []).length, 0);
        // Every position between the state and the firing was skipped: nothing is jumped over silently.
        const fired = step.fired ? step.fired.pass * rules.levels.length + step.fired.level : rules.levels.length * (rules.repeat + 1);
        assert.equal(step.skipped.length, fired - (state.pass * rules.levels.length + state.level));
      }),
    );
  });

  it('round-robin pages each of n people once in n firings of the level', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...USERS), { minLength: 1, maxLength: 5 }), (people) => {
        const rules: PolicyRules = { repeat: 9, levels: [level(1, [team('t')], 'round-robin')] };
        const resolved = resolve({ 'team:t': people });
        const paged = simulate(rules, T0, resolved).slice(0, people.length).map((s) => s.step.fired!.userIds[0]);
        assert.deepEqual(paged, people);
      }),
    );
  });
});
