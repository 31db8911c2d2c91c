import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Matcher } from '../alerts/index.ts';
import {
  effectiveUrgency,
  expireSpan,
  placeAt,
  planNewSilence,
  planNewWindow,
  planSilenceEdit,
  planWindowEdit,
  type SilenceDraft,
  silenceState,
  toActions,
  toGrouping,
  toUrgencyRule,
  windowState,
} from './noise.ts';

const NOW = new Date('2026-03-02T09:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const t = (ms: number) => new Date(NOW.getTime() + ms);
const fields = (problems: { field: string }[]) => problems.map((p) => p.field);

describe('noise rules: states', () => {
  it('is in force from its start (inclusive) to its end (exclusive), as ingestion reads it', () => {
    const span = { startsAt: t(0), endsAt: t(HOUR) };
    const cases: [number, string, string][] = [
      [-1, 'upcoming', 'pending'],
      [0, 'active', 'active'],
      [HOUR - 1, 'active', 'active'],
      [HOUR, 'past', 'expired'],
    ];
    for (const [at, window, silence] of cases) {
      assert.equal(windowState(span, t(at)), window, `window at ${at}`);
      assert.equal(silenceState(span, t(at)), silence, `silence at ${at}`);
    }
  });
});

describe('noise rules: maintenance windows', () => {
  it('reads a start up to 5 minutes back as now and refuses anything earlier or longer than 90 days', () => {
    const cases: [number, number, string[], Date | null][] = [
      [0, HOUR, [], t(0)],
      [-5 * MIN, HOUR, [], t(0)],
      [-5 * MIN - 1, HOUR, ['startsAt'], null],
      [HOUR, HOUR, ['endsAt'], null],
      [0, 90 * 24 * HOUR, [], t(0)],
      [0, 90 * 24 * HOUR + 1, ['endsAt'], null],
    ];
    for (const [start, end, problems, startsAt] of cases) {
      const plan = planNewWindow({ description: 'x', startsAt: t(start), endsAt: t(end) }, NOW);
      assert.deepEqual(fields(plan.problems), problems, `${start}..${end}`);
      if (startsAt) assert.deepEqual(plan.value.startsAt, startsAt);
    }
    assert.deepEqual(fields(planNewWindow({ description: ' ', startsAt: t(0), endsAt: t(HOUR) }, NOW).problems), ['description']);
  });

  it('lets an active window end now but not earlier, and keeps a start one millisecond before an end at its own start', () => {
    const active = { description: 'x', startsAt: t(0), endsAt: t(HOUR) };
    assert.deepEqual(planWindowEdit(active, { endsAt: t(-MIN) }, NOW).value, { description: 'x', startsAt: t(-1), endsAt: t(0) });
    assert.deepEqual(fields(planWindowEdit(active, { endsAt: t(-10 * MIN) }, NOW).problems), ['endsAt']);
    assert.deepEqual(fields(planWindowEdit(active, { startsAt: t(MIN) }, NOW).problems), ['startsAt']);
    assert.deepEqual(planWindowEdit(active, { description: 'y', startsAt: t(400) }, NOW).problems, [], 'the same second is no change');
    const past = { description: 'x', startsAt: t(-2 * HOUR), endsAt: t(-HOUR) };
    assert.deepEqual(fields(planWindowEdit(past, { startsAt: t(HOUR), endsAt: t(2 * HOUR) }, NOW).problems), ['startsAt', 'endsAt']);
    assert.deepEqual(planWindowEdit(past, { description: 'done' }, NOW).value, { ...past, description: 'done' });
  });
});

describe('noise rules: silences (Alertmanager)', () => {
  const m = (value: string): Matcher[] => [{ name: 'alertname', op: '=', value }];
  const active: SilenceDraft = { serviceId: null, matchers: m('Disk'), comment: 'why', startsAt: t(-HOUR), endsAt: t(HOUR) };
  const pending: SilenceDraft = { ...active, startsAt: t(HOUR), endsAt: t(2 * HOUR) };
  const expired: SilenceDraft = { ...active, startsAt: t(-2 * HOUR), endsAt: t(-HOUR) };

  it('creates from now by default, and needs an end in the future after the start', () => {
    assert.deepEqual(planNewSilence({ matchers: m('A'), comment: 'c', endsAt: t(HOUR) }, NOW).value.startsAt, t(0));
    assert.deepEqual(fields(planNewSilence({ matchers: m('A'), comment: 'c', endsAt: t(0) }, NOW).problems), ['endsAt']);
    assert.deepEqual(fields(planNewSilence({ matchers: [], comment: '', endsAt: t(HOUR) }, NOW).problems), ['matchers', 'comment']);
  });

  it('decides between an in-place edit, a replacement and a refusal', () => {
    const cases: [string, SilenceDraft, Partial<SilenceDraft>, 'update' | 'replace', string[]][] = [
      ['active: comment and a later end', active, { comment: 'more', endsAt: t(3 * HOUR) }, 'update', []],
      ['active: end now', active, { endsAt: t(0) }, 'update', []],
      ['active: end a minute ago reads as now', active, { endsAt: t(-MIN) }, 'update', []],
      ['active: end in the past', active, { endsAt: t(-10 * MIN) }, 'update', ['endsAt']],
      ['active: a new start', active, { startsAt: t(-30 * MIN) }, 'update', ['startsAt']],
      ['active: the same start echoed back', active, { startsAt: t(-HOUR), endsAt: t(HOUR) }, 'update', []],
      ['active: new matchers', active, { matchers: m('Cpu') }, 'replace', []],
      ['active: the same matchers', active, { matchers: m('Disk') }, 'update', []],
      ['active: another service', active, { serviceId: 'a7d0c9a6-9a35-4c4e-9d8e-1d6b1c2f3a4b' }, 'replace', []],
      ['pending: a later start', pending, { startsAt: t(90 * MIN) }, 'update', []],
      ['pending: a start in the past', pending, { startsAt: t(-HOUR) }, 'update', ['startsAt']],
      ['pending: an end before its start', pending, { endsAt: t(30 * MIN) }, 'update', ['endsAt']],
      ['pending: new matchers', pending, { matchers: m('Cpu') }, 'replace', []],
      ['expired: a comment alone', expired, { comment: 'again' }, 'replace', ['endsAt']],
      ['expired: a comment and a new end', expired, { comment: 'again', endsAt: t(HOUR) }, 'replace', []],
    ];
    for (const [name, current, patch, kind, problems] of cases) {
      const edit = planSilenceEdit(current, patch, NOW);
      assert.equal(edit.kind, kind, name);
      assert.deepEqual(fields(edit.problems), problems, name);
    }
  });

  it('starts a replacement now, or at the old start while that is still ahead', () => {
    assert.deepEqual(planSilenceEdit(active, { matchers: m('Cpu') }, NOW).value.startsAt, t(0));
    assert.deepEqual(planSilenceEdit(pending, { matchers: m('Cpu') }, NOW).value.startsAt, pending.startsAt);
    const edit = planSilenceEdit(active, { matchers: m('Cpu') }, NOW);
    assert.ok(edit.kind === 'replace' && edit.reason === 'its matchers changed');
  });

  it('expires an active silence now and a pending one before it began; an expired one stays', () => {
    assert.deepEqual(expireSpan(active, NOW), { startsAt: active.startsAt, endsAt: t(0) });
    assert.deepEqual(expireSpan(pending, NOW), { startsAt: t(-1), endsAt: t(0) });
    assert.equal(silenceState(expireSpan(pending, NOW)!, NOW), 'expired');
    assert.equal(expireSpan(expired, NOW), null);
  });
});

describe('noise rules: event rules and settings', () => {
  it('places a rule at a 1-based position, clamped, keeping the others in order', () => {
    const cases: [string[], string, number | undefined, string[]][] = [
      [['a', 'b'], 'n', undefined, ['a', 'b', 'n']],
      [['a', 'b'], 'n', 1, ['n', 'a', 'b']],
      [['a', 'b'], 'n', 0, ['n', 'a', 'b']],
      [['a', 'b'], 'n', 99, ['a', 'b', 'n']],
      [['a', 'b', 'c'], 'c', 1, ['c', 'a', 'b']],
      [['a', 'b', 'c'], 'a', 2, ['b', 'a', 'c']],
      [['a', 'b', 'c'], 'b', undefined, ['a', 'b', 'c']],
    ];
    for (const [ids, id, position, expected] of cases) assert.deepEqual(placeAt(ids, id, position), expected, `${ids} ${id}@${position}`);
  });

  it('keeps only actions that do something', () => {
    assert.deepEqual(toActions({ suppress: false, drop: false, severity: 'info' }), { severity: 'info' });
    assert.deepEqual(toActions({ drop: true }), { drop: true });
  });

  it('takes for each grouping mode exactly the fields it uses', () => {
    const cases: [Parameters<typeof toGrouping>[0], string[]][] = [
      [{ mode: 'none' }, []],
      [{ mode: 'none', windowMinutes: 5 }, ['grouping.windowMinutes']],
      [{ mode: 'time', windowMinutes: 30 }, []],
      [{ mode: 'time' }, ['grouping.windowMinutes']],
      [{ mode: 'time', windowMinutes: 5, fields: ['a'] }, ['grouping.fields']],
      [{ mode: 'content', fields: ['source'], windowMinutes: 0 }, []],
      [{ mode: 'content', fields: ['source'] }, ['grouping.windowMinutes']],
      [{ mode: 'content', fields: [], windowMinutes: 0 }, ['grouping.fields']],
      [{ mode: 'time', windowMinutes: -1 }, ['grouping.windowMinutes']],
    ];
    for (const [input, problems] of cases) assert.deepEqual(fields(toGrouping(input).problems), problems, JSON.stringify(input));
  });

  it('stores an urgency rule tidied, and fills the defaults into the effective one', () => {
    const hours = { timeZone: 'Europe/London', days: [3, 1, 3], start: '09:00', end: '17:00', outsideHours: 'low' as const };
    assert.deepEqual(toUrgencyRule({ bySeverity: {}, supportHours: hours }).value, { supportHours: { ...hours, days: [1, 3] } });
    assert.equal(toUrgencyRule({ bySeverity: {} }).value, null);
    assert.equal(toUrgencyRule(null).value, null);
    assert.deepEqual(effectiveUrgency({ bySeverity: { info: 'high' } }), {
      bySeverity: { critical: 'high', error: 'high', warning: 'low', info: 'high' },
      supportHours: null,
    });
  });
});
