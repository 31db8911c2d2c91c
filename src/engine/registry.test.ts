import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { DB } from '../storage/schema.ts';
import { buildRegistry, defineFamily } from './registry.ts';
import { scheduleJob } from './schedule-job.ts';

const noop = async () => {};

describe('handler registry', () => {
  it('maps each kind to its family and version', () => {
    const registry = buildRegistry([defineFamily('escalation', 3, { 'escalation.due': noop, 'escalation.repeat': noop })]);
    assert.deepEqual(
      [...registry.values()].map(({ kind, family, version }) => ({ kind, family, version })),
      [
        { kind: 'escalation.due', family: 'escalation', version: 3 },
        { kind: 'escalation.repeat', family: 'escalation', version: 3 },
      ],
    );
  });
  it('refuses a kind outside its family (the version guard keys on the family prefix)', () => {
    assert.throws(() => defineFamily('escalation', 1, { 'notify.send': noop }), /must be "escalation.<event>"/);
    assert.throws(() => buildRegistry([{ name: 'escalation', version: 1, handlers: { 'escalationx.due': noop } }]), /must be/);
  });
  it('refuses the same family twice and versions below 1', () => {
    assert.throws(() => buildRegistry([defineFamily('a', 1, { 'a.x': noop }), defineFamily('a', 2, { 'a.y': noop })]), /registered twice/);
    assert.throws(() => defineFamily('a', 0, {}), /version/);
  });
});

describe('scheduleJob input validation', () => {
  // Validation happens before any SQL, so no database is needed to reach it.
  const tx = {} as Kysely<DB>;
  const runAt = new Date('2026-01-05T09:00:00Z');
  const cases: Array<[string, Parameters<typeof scheduleJob>[1], RegExp]> = [
    ['a kind without a family', { kind: 'due', runAt }, /kind/],
    ['an invalid date', { kind: 'a.b', runAt: new Date('nope') }, /runAt/],
    ['a key mode without a key', { kind: 'a.b', runAt, keyMode: 'dedupe' }, /keyMode/],
    ['an empty key', { kind: 'a.b', runAt, key: '' }, /key/],
    ['zero attempts', { kind: 'a.b', runAt, maxAttempts: 0 }, /maxAttempts/],
    ['a fractional priority', { kind: 'a.b', runAt, priority: 0.5 }, /priority/],
  ];
  for (const [what, input, message] of cases) {
    it(`rejects ${what} with VALIDATION`, async () => {
      await assert.rejects(scheduleJob(tx, input), (e: Error & { code?: string }) => e.code === 'VALIDATION' && message.test(e.message));
    });
  }
});
