import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPolicy, type Policy, snapshotOf } from './policy.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const good = { name: 'Payments', description: '', repeat: 1, levels: [{ delayMinutes: 5, mode: 'all', targets: [{ type: 'user', id: A }] }] };

describe('checkPolicy', () => {
  it('accepts a well-formed policy', () => {
    assert.deepEqual(checkPolicy(good), []);
  });

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['an empty name', { name: '  ' }, 'name', /empty/],
    ['a long description', { description: 'x'.repeat(2001) }, 'description', /2000/],
    ['a negative repeat', { repeat: -1 }, 'repeat', /0 to 9/],
    ['too many repeats', { repeat: 10 }, 'repeat', /0 to 9/],
    ['a fractional repeat', { repeat: 1.5 }, 'repeat', /integer/],
    ['no levels', { levels: [] }, 'levels', /at least one/],
    ['21 levels', { levels: Array.from({ length: 21 }, () => good.levels[0]) }, 'levels', /at most 20/],
    ['a zero delay', { levels: [{ ...good.levels[0], delayMinutes: 0 }] }, 'levels.0.delayMinutes', /1 to 1440/],
    ['a delay over a day', { levels: [{ ...good.levels[0], delayMinutes: 1441 }] }, 'levels.0.delayMinutes', /1 to 1440/],
    ['an unknown mode', { levels: [{ ...good.levels[0], mode: 'random' }] }, 'levels.0.mode', /"all", "round-robin"/],
    ['a level without targets', { levels: [{ ...good.levels[0], targets: [] }] }, 'levels.0.targets', /at least one target/],
    ['an unknown target type', { levels: [good.levels[0], { ...good.levels[0], targets: [{ type: 'channel', id: A }] }] }, 'levels.1.targets.0.type', /"user", "schedule", "team"/],
    ['a target id that is not a uuid', { levels: [good.levels[0], { ...good.levels[0], targets: [{ type: 'user', id: B }, { type: 'team', id: 'x' }] }] }, 'levels.1.targets.1.id', /uuid/],
    ['a target twice in one level', { levels: [{ ...good.levels[0], targets: [{ type: 'user', id: A }, { type: 'user', id: A.toUpperCase() }] }] }, 'levels.0.targets.1', /already/],
  ];
  for (const [what, change, field, reason] of cases) {
    it(`names ${field} for ${what}`, () => {
      const problems = checkPolicy({ ...good, ...change } as typeof good);
      const found = problems.find((p) => p.field === field);
      assert.ok(found, JSON.stringify(problems));
      assert.match(found.reason, reason);
    });
  }

  it('allows the same target on different levels', () => {
    assert.deepEqual(checkPolicy({ ...good, levels: [good.levels[0]!, good.levels[0]!] }), []);
  });
});

describe('snapshotOf', () => {
  it('copies the rules deeply and freezes them, so editing the policy afterwards leaves it as it was', () => {
    const policy: Policy = { id: 'p', name: 'P', description: '', teamId: null, version: 3, repeat: 0, levels: [{ delayMinutes: 5, mode: 'all', targets: [{ type: 'user', id: A }] }], createdAt: new Date(0), updatedAt: new Date(0) };
    const snap = snapshotOf(policy, new Date('2026-03-02T09:00:00Z'));
    policy.levels[0]!.targets[0]!.id = B;
    policy.levels.push({ delayMinutes: 1, mode: 'all', targets: [] });
    assert.deepEqual(snap, { policyId: 'p', name: 'P', version: 3, takenAt: '2026-03-02T09:00:00.000Z', repeat: 0, ackTimeoutMinutes: null, levels: [{ delayMinutes: 5, mode: 'all', targets: [{ type: 'user', id: A }] }] });
    assert.throws(() => (snap.levels as unknown[]).push(1));
    assert.throws(() => ((snap.levels[0]!.targets[0] as { id: string }).id = B));
  });
});
