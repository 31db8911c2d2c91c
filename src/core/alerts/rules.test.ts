import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRule, type EventRule, firstMatchingRule } from './event-rules.ts';
import { checkGrouping, contentGroupKey } from './grouping.ts';
import { checkMatchers, formatMatchers, type Matcher, matchesAll, matchesOne } from './matchers.ts';
import { checkUrgencyRule, type UrgencyRule, urgencyOf } from './urgency.ts';

const fieldsOf = (problems: { field: string }[]) => problems.map((p) => p.field);

describe('matchers (Alertmanager semantics)', () => {
  const labels = { alertname: 'DiskFull', severity: 'critical', instance: 'db-1:9100' };
  const cases: [Matcher, boolean, string][] = [
    [{ name: 'alertname', op: '=', value: 'DiskFull' }, true, 'equal'],
    [{ name: 'alertname', op: '=', value: 'diskfull' }, false, 'equality is case-sensitive'],
    [{ name: 'alertname', op: '!=', value: 'DiskFull' }, false, 'not equal'],
    [{ name: 'alertname', op: '!=', value: 'Cpu' }, true, 'not equal, other value'],
    [{ name: 'alertname', op: '=~', value: 'Disk' }, false, 'a regex is anchored at the end'],
    [{ name: 'alertname', op: '=~', value: 'Full' }, false, 'a regex is anchored at the start'],
    [{ name: 'alertname', op: '=~', value: 'Disk.*' }, true, 'prefix pattern'],
    [{ name: 'severity', op: '=~', value: 'critical|error' }, true, 'alternation'],
    [{ name: 'severity', op: '=~', value: 'crit|error' }, false, 'alternation is anchored as a whole'],
    [{ name: 'instance', op: '=~', value: 'db-\\d+:9100' }, true, 'escapes'],
    [{ name: 'alertname', op: '!~', value: 'Disk' }, true, 'negative regex, anchored'],
    [{ name: 'alertname', op: '!~', value: 'Disk.+' }, false, 'negative regex that matches'],
    [{ name: 'team', op: '=', value: '' }, true, 'a missing label reads as ""'],
    [{ name: 'team', op: '!=', value: '' }, false, 'a missing label is not non-empty'],
    [{ name: 'team', op: '=~', value: '.*' }, true, '.* matches a missing label'],
    [{ name: 'team', op: '=~', value: '.+' }, false, '.+ needs a value'],
    [{ name: 'team', op: '!~', value: 'storage' }, true, 'a missing label does not match a pattern'],
  ];
  for (const [m, expected, name] of cases) {
    it(`${formatMatchers([m])}: ${name}`, () => assert.equal(matchesOne(m, labels), expected));
  }

  it('needs every matcher, and an empty list matches nothing', () => {
    const disk: Matcher = { name: 'alertname', op: '=', value: 'DiskFull' };
    assert.equal(matchesAll([disk, { name: 'severity', op: '=', value: 'critical' }], labels), true);
    assert.equal(matchesAll([disk, { name: 'severity', op: '=', value: 'info' }], labels), false);
    assert.equal(matchesAll([], labels), false);
  });

  it('names each problem of a matcher list by its place', () => {
    const cases: [Matcher[], string[]][] = [
      [[], ['m']],
      [[{ name: 'alertname', op: '=', value: 'x' }], []],
      [[{ name: '9lives', op: '=', value: 'x' }], ['m.0.name']],
      [[{ name: 'a', op: '=', value: 'x' }, { name: 'b', op: '=~', value: '(' }], ['m.1.value']],
      [[{ name: 'a', op: '==' as never, value: 'x' }], ['m.0.op']],
      [[{ name: 'a', op: '=', value: 'x'.repeat(257) }], ['m.0.value']],
      [[{ name: 'a', op: '=~', value: '.*' }], ['m']],
      [[{ name: 'a', op: '!=', value: 'x' }], ['m']],
      [Array.from({ length: 21 }, (_, i) => ({ name: `l${i}`, op: '=' as const, value: 'x' })), ['m']],
    ];
    for (const [matchers, fields] of cases) assert.deepEqual(fieldsOf(checkMatchers(matchers, 'm')), fields, formatMatchers(matchers));
  });
});

describe('urgency with support hours (America/New_York, across the March 2026 DST change)', () => {
  const rule: UrgencyRule = {
    bySeverity: { warning: 'high' },
    supportHours: { timeZone: 'America/New_York', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', outsideHours: 'low' },
  };
  const cases: [string, string, 'high' | 'low', string][] = [
    ['2026-03-06T13:30:00Z', 'critical', 'low', 'Friday 08:30 EST: before hours'],
    ['2026-03-06T14:00:00Z', 'critical', 'high', 'Friday 09:00 EST: start is inclusive'],
    ['2026-03-06T21:30:00Z', 'critical', 'high', 'Friday 16:30 EST'],
    ['2026-03-06T22:00:00Z', 'critical', 'low', 'Friday 17:00 EST: end is exclusive'],
    ['2026-03-07T15:00:00Z', 'critical', 'low', 'Saturday'],
    ['2026-03-09T13:30:00Z', 'critical', 'high', 'Monday 09:30 EDT: the same UTC time as Friday 08:30 EST'],
    ['2026-03-09T13:00:00Z', 'critical', 'high', 'Monday 09:00 EDT'],
    ['2026-03-09T12:59:00Z', 'critical', 'low', 'Monday 08:59 EDT'],
    ['2026-03-09T21:30:00Z', 'critical', 'low', 'Monday 17:30 EDT: the same UTC time as Friday 16:30 EST'],
    ['2026-03-09T15:00:00Z', 'warning', 'high', 'bySeverity raises warning in hours'],
    ['2026-03-09T15:00:00Z', 'info', 'low', 'unlisted severities keep the default'],
    ['2026-03-07T15:00:00Z', 'warning', 'low', 'outside hours lowers the raised warning'],
  ];
  for (const [at, severity, expected, name] of cases) {
    it(name, () => assert.equal(urgencyOf(severity as 'critical', rule, new Date(at)), expected));
  }

  it('counts the local hours of the DST night: 01:00–04:00 on 8 March lasts two real hours', () => {
    const night: UrgencyRule = { supportHours: { timeZone: 'America/New_York', days: [7], start: '01:00', end: '04:00', outsideHours: 'low' } };
    const cases: [string, 'high' | 'low'][] = [
      ['2026-03-08T05:59:00Z', 'low'], // 00:59 EST
      ['2026-03-08T06:00:00Z', 'high'], // 01:00 EST
      ['2026-03-08T06:59:00Z', 'high'], // 01:59 EST, then the clocks jump to 03:00 EDT
      ['2026-03-08T07:00:00Z', 'high'], // 03:00 EDT
      ['2026-03-08T07:59:00Z', 'high'], // 03:59 EDT
      ['2026-03-08T08:00:00Z', 'low'], // 04:00 EDT
    ];
    for (const [at, expected] of cases) assert.equal(urgencyOf('critical', night, new Date(at)), expected, at);
  });

  it('never raises urgency outside hours, and uses the defaults without a rule', () => {
    const raise: UrgencyRule = { supportHours: { timeZone: 'UTC', days: [1], start: '09:00', end: '10:00', outsideHours: 'high' } };
    assert.equal(urgencyOf('info', raise, new Date('2026-03-07T12:00:00Z')), 'low');
    assert.equal(urgencyOf('error', null, new Date('2026-03-07T03:00:00Z')), 'high');
    assert.equal(urgencyOf('warning', null, new Date('2026-03-07T03:00:00Z')), 'low');
  });

  it('names each problem of a rule', () => {
    const hours = { timeZone: 'Europe/London', days: [1], start: '09:00', end: '17:00', outsideHours: 'low' as const };
    const cases: [UrgencyRule, string[]][] = [
      [{ supportHours: hours }, []],
      [{ bySeverity: { fatal: 'high' } as never }, ['u.bySeverity.fatal']],
      [{ bySeverity: { info: 'medium' } as never }, ['u.bySeverity.info']],
      [{ supportHours: { ...hours, timeZone: 'Europe/Atlantis' } }, ['u.supportHours.timeZone']],
      [{ supportHours: { ...hours, days: [] } }, ['u.supportHours.days']],
      [{ supportHours: { ...hours, days: [8] } }, ['u.supportHours.days']],
      [{ supportHours: { ...hours, start: '9:00' } }, ['u.supportHours.start']],
      [{ supportHours: { ...hours, end: '24:00' } }, ['u.supportHours.end']],
      [{ supportHours: { ...hours, start: '17:00', end: '09:00' } }, ['u.supportHours.end']],
    ];
    for (const [r, fields] of cases) assert.deepEqual(fieldsOf(checkUrgencyRule(r, 'u')), fields, JSON.stringify(r));
  });
});

describe('content grouping', () => {
  it('gives a stable key: the same across runs and releases (keys of open incidents are stored)', () => {
    assert.equal(contentGroupKey(['source', 'group'], { source: 'db-1', group: 'storage' }), 'd2b4a3d4b4672ab9f402fa4591299ec8');
    assert.equal(contentGroupKey(['alertname'], {}), '56ea9d814b2182187a7829c8d13323e1');
  });

  it('depends only on the chosen fields, reading a missing one as empty', () => {
    const key = contentGroupKey(['source', 'group'], { source: 'db-1', group: 'storage' });
    assert.equal(contentGroupKey(['source', 'group'], { group: 'storage', source: 'db-1', summary: 'other text' }), key);
    assert.notEqual(contentGroupKey(['source', 'group'], { source: 'db-2', group: 'storage' }), key);
    assert.equal(contentGroupKey(['source', 'group'], { source: 'db-1' }), contentGroupKey(['source', 'group'], { source: 'db-1', group: '' }));
    assert.notEqual(contentGroupKey(['source'], { source: 'a' }), contentGroupKey(['group'], { group: 'a' }), 'the field name is part of the key');
  });

  it('checks each mode', () => {
    const cases: [Parameters<typeof checkGrouping>[0], string[]][] = [
      [{ mode: 'none' }, []],
      [{ mode: 'time', windowMinutes: 0 }, []],
      [{ mode: 'time', windowMinutes: 1441 }, ['g.windowMinutes']],
      [{ mode: 'time', windowMinutes: 1.5 }, ['g.windowMinutes']],
      [{ mode: 'content', fields: ['source'], windowMinutes: 60 }, []],
      [{ mode: 'content', fields: [], windowMinutes: 60 }, ['g.fields']],
      [{ mode: 'content', fields: ['ok', 'not ok'], windowMinutes: 60 }, ['g.fields.1']],
      [{ mode: 'content', fields: Array.from({ length: 11 }, (_, i) => `f${i}`), windowMinutes: 60 }, ['g.fields']],
    ];
    for (const [g, fields] of cases) assert.deepEqual(fieldsOf(checkGrouping(g, 'g')), fields, JSON.stringify(g));
  });
});

describe('event rules', () => {
  const disk: Matcher[] = [{ name: 'alertname', op: '=', value: 'Disk' }];
  it('names each problem of a rule', () => {
    const cases: [Parameters<typeof checkRule>[0], string[]][] = [
      [{ serviceId: null, matchers: disk, actions: { routeToServiceId: 's2' } }, []],
      [{ serviceId: 's1', matchers: disk, actions: { routeToServiceId: 's2' } }, ['r.actions.routeToServiceId']],
      [{ serviceId: 's1', matchers: disk, actions: { severity: 'fatal' as never } }, ['r.actions.severity']],
      [{ serviceId: 's1', matchers: disk, actions: { drop: true, suppress: true } }, ['r.actions.drop']],
      [{ serviceId: 's1', matchers: disk, actions: {} }, ['r.actions']],
      [{ serviceId: 's1', matchers: disk, actions: { suppress: false } }, ['r.actions']],
      [{ serviceId: 's1', matchers: [], actions: { suppress: true } }, ['r.matchers']],
      [{ serviceId: 's1', matchers: [{ name: 'a', op: '=~', value: '[' }], actions: { drop: true } }, ['r.matchers.0.value']],
    ];
    for (const [rule, fields] of cases) assert.deepEqual(fieldsOf(checkRule(rule, 'r')), fields, JSON.stringify(rule));
  });

  it('applies the first enabled rule that matches, in the order given', () => {
    const rule = (id: string, enabled: boolean, matchers: Matcher[]): EventRule => ({ id, serviceId: null, name: id, position: 0, matchers, actions: { suppress: true }, enabled });
    const rules = [rule('off', false, disk), rule('cpu', true, [{ name: 'alertname', op: '=', value: 'Cpu' }]), rule('disk', true, disk), rule('later', true, disk)];
    assert.equal(firstMatchingRule(rules, { alertname: 'Disk' })?.id, 'disk');
    assert.equal(firstMatchingRule(rules, { alertname: 'Memory' }), undefined);
  });
});
