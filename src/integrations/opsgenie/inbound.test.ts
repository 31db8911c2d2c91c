import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AlertSignal, ParseResult } from '../../core/alerts/signal.ts';
import { errorsOf, fixtures, ok } from '../shared/testing.ts';
import { parseOpsgenieAction, parseOpsgenieCreate } from './inbound.ts';

const { fixture } = fixtures(import.meta.url);

describe('parseOpsgenieCreate: fixtures', () => {
  it('maps every field of a full create request', () => {
    const body = fixture('create-full.json');
    assert.deepEqual(ok(parseOpsgenieCreate(body)), {
      sender: 'opsgenie',
      action: 'trigger',
      dedupKey: 'zabbix-trigger-23817-app-worker-07',
      summary: '[Zabbix] High CPU utilization on app-worker-07 (over 90% for 5m)',
      source: 'zabbix.example.com',
      severity: 'error',
      timestamp: null,
      component: null,
      group: null,
      class: null,
      description:
        'CPU utilization on app-worker-07 has been above 90% for 5 minutes.\nCurrent value: 96.4%\nTrigger: High CPU utilization (over 90% for 5m)\nHost groups: Linux servers, Production',
      details: {
        host: 'app-worker-07',
        triggerId: '23817',
        eventId: '9018231',
        zabbixUrl: 'https://zabbix.example.com/tr_events.php?triggerid=23817&eventid=9018231',
        tags: ['production', 'linux', 'cpu'],
        entity: 'app-worker-07',
        user: 'Zabbix',
        note: 'Created by the Zabbix media type',
        actions: ['Restart worker', 'Drain node'],
        responders: body.responders,
        visibleTo: body.visibleTo,
      },
      labels: {
        production: 'true',
        linux: 'true',
        cpu: 'true',
        host: 'app-worker-07',
        triggerId: '23817',
        eventId: '9018231',
        zabbixUrl: 'https://zabbix.example.com/tr_events.php?triggerid=23817&eventid=9018231',
        priority: 'P2',
      },
      groupKey: null,
      links: [],
      images: [],
      client: null,
      clientUrl: null,
      raw: body,
    } satisfies AlertSignal);
  });

  it('defaults a minimal create to P3 (warning) with no alias', () => {
    const signal = ok(parseOpsgenieCreate(fixture('create-minimal.json')));
    assert.equal(signal.summary, 'Backup job nightly-pg-dump did not finish');
    assert.equal(signal.dedupKey, null);
    assert.equal(signal.severity, 'warning');
    assert.deepEqual(signal.labels, { priority: 'P3' });
    assert.deepEqual(signal.details, {});
    assert.equal(signal.source, null);
    assert.equal(signal.description, null);
  });

  it('reads the acknowledge and close fixtures as request bodies', () => {
    const id = '70413a06-38d6-4c85-92b8-5ebc900d42e2';
    const ack = ok(parseOpsgenieAction(id, undefined, fixture('acknowledge.json'), 'acknowledge'));
    assert.deepEqual(
      { action: ack.action, alertRef: ack.alertRef, dedupKey: ack.dedupKey, source: ack.source, details: ack.details },
      {
        action: 'acknowledge',
        alertRef: { id },
        dedupKey: null,
        source: 'Zabbix',
        details: { user: 'dana.k@example.com', note: 'Looking into it, looks like the nightly batch' },
      },
    );
    const close = ok(parseOpsgenieAction('zabbix-trigger-23817-app-worker-07', 'alias', fixture('close.json'), 'resolve'));
    assert.deepEqual(
      { action: close.action, alertRef: close.alertRef, dedupKey: close.dedupKey, source: close.source, summary: close.summary },
      { action: 'resolve', alertRef: undefined, dedupKey: 'zabbix-trigger-23817-app-worker-07', source: 'zabbix.example.com', summary: '' },
    );
    assert.deepEqual(close.raw, { identifier: 'zabbix-trigger-23817-app-worker-07', identifierType: 'alias', body: fixture('close.json') });
  });
});

describe('parseOpsgenieCreate: mapping', () => {
  const priorities: Array<[priority: unknown, severity: string, label: string]> = [
    ['P1', 'critical', 'P1'],
    ['P2', 'error', 'P2'],
    ['P3', 'warning', 'P3'],
    ['P4', 'info', 'P4'],
    ['P5', 'info', 'P5'],
    ['p1', 'critical', 'P1'],
    [undefined, 'warning', 'P3'],
    [null, 'warning', 'P3'],
  ];
  for (const [priority, severity, label] of priorities) {
    it(`maps priority ${String(priority)} to severity ${severity} and labels.priority ${label}`, () => {
      const signal = ok(parseOpsgenieCreate({ message: 'm', priority }));
      assert.equal(signal.severity, severity);
      assert.equal(signal.labels.priority, label);
    });
  }

  it('cuts a message over 130 characters instead of refusing it, without splitting an emoji', () => {
    assert.equal(ok(parseOpsgenieCreate({ message: 'x'.repeat(200) })).summary, 'x'.repeat(130));
    assert.equal(ok(parseOpsgenieCreate({ message: '🔥'.repeat(131) })).summary, '🔥'.repeat(130));
  });

  it('cuts the description, entity, source, user and note to their limits', () => {
    const signal = ok(parseOpsgenieCreate({ message: 'm', description: 'd'.repeat(15_001), entity: 'e'.repeat(600), source: 's'.repeat(101), user: 'u'.repeat(101), note: 'n'.repeat(25_001) }));
    assert.equal(signal.description, 'd'.repeat(15_000));
    assert.equal(signal.source, 's'.repeat(100));
    assert.equal(signal.details.entity, 'e'.repeat(512));
    assert.equal(signal.details.user, 'u'.repeat(100));
    assert.equal(signal.details.note, 'n'.repeat(25_000));
  });

  it('keeps 20 distinct tags of at most 50 characters, dropping blanks and duplicates', () => {
    const tags = ['a', ' a ', '', 'b'.repeat(60), 7, true, ...Array.from({ length: 30 }, (_, i) => `t${i}`)];
    const signal = ok(parseOpsgenieCreate({ message: 'm', tags }));
    const kept = ['a', 'b'.repeat(50), '7', 'true', ...Array.from({ length: 16 }, (_, i) => `t${i}`)];
    assert.deepEqual(signal.details.tags, kept);
    assert.deepEqual(Object.keys(signal.labels).sort(), [...kept, 'priority'].sort());
  });

  it('lets details override a tag of the same name in labels, and priority override both', () => {
    const signal = ok(parseOpsgenieCreate({ message: 'm', tags: ['env', 'priority'], details: { env: 'prod', priority: 'urgent', count: 3 }, priority: 'P1' }));
    assert.deepEqual(signal.labels, { env: 'prod', priority: 'P1', count: '3' });
    assert.equal(signal.details.priority, 'urgent');
  });

  it('uses the entity as source when no source is given', () => {
    assert.equal(ok(parseOpsgenieCreate({ message: 'm', entity: 'db-3' })).source, 'db-3');
  });

  it('never refuses user, note, actions, responders or visibleTo, whatever their shape', () => {
    const signal = ok(parseOpsgenieCreate({ message: 'm', user: 5, note: { a: 1 }, actions: 'restart', responders: 'team', visibleTo: [1] }));
    assert.deepEqual(signal.details, { visibleTo: [1] });
  });

  it('keeps at most 10 actions of at most 50 characters', () => {
    const actions = Array.from({ length: 12 }, (_, i) => `${i}`.padEnd(60, 'x'));
    assert.deepEqual(ok(parseOpsgenieCreate({ message: 'm', actions })).details.actions, actions.slice(0, 10).map((a) => a.slice(0, 50)));
  });

  it('takes an alias of exactly 512 characters as the dedup key, untrimmed', () => {
    assert.equal(ok(parseOpsgenieCreate({ message: 'm', alias: ' k'.repeat(256) })).dedupKey, ' k'.repeat(256));
  });
});

describe('parseOpsgenieCreate: refusals', () => {
  const cases: Array<[name: string, body: unknown, errors: string[]]> = [
    ['an array body', [{ message: 'm' }], ['Request body must be a JSON object.']],
    ['a missing message', {}, ['Message can not be empty.']],
    ['a blank message', { message: '   ' }, ['Message can not be empty.']],
    ['a numeric message', { message: 500 }, ['Message must be a string.']],
    ['an alias of 513 characters', { message: 'm', alias: 'a'.repeat(513) }, ['Alias can not be longer than 512 characters.']],
    ['a numeric alias', { message: 'm', alias: 12 }, ['Alias must be a string.']],
    ['a description that is an object', { message: 'm', description: { text: 'x' } }, ['Description must be a string.']],
    ['a numeric source', { message: 'm', source: 1 }, ['Source must be a string.']],
    ['an entity that is a list', { message: 'm', entity: ['a'] }, ['Entity must be a string.']],
    ['tags that are a string', { message: 'm', tags: 'prod,linux' }, ['Tags must be a list of strings.']],
    ['a tag that is an object', { message: 'm', tags: ['ok', { name: 'x' }] }, ['Tags must be a list of strings: tags[1] is not a string.']],
    ['details that are a list', { message: 'm', details: ['a'] }, ['Details must be a map of string keys to string values.']],
    ['a nested detail', { message: 'm', details: { ok: 'x', host: { name: 'a' } } }, ['Details must be a map of string keys to string values: details.host is not a string.']],
    ['priority P6', { message: 'm', priority: 'P6' }, ['Priority should be one of [P1, P2, P3, P4, P5].']],
    ['a numeric priority', { message: 'm', priority: 1 }, ['Priority should be one of [P1, P2, P3, P4, P5].']],
    [
      'several problems at once',
      { message: '', alias: 1, priority: 'high' },
      ['Message can not be empty.', 'Alias must be a string.', 'Priority should be one of [P1, P2, P3, P4, P5].'],
    ],
  ];
  for (const [name, body, errors] of cases) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(errorsOf(parseOpsgenieCreate(body)), errors);
    });
  }
});

describe('parseOpsgenieAction', () => {
  const uuid = '8418D193-2DAB-4490-B331-8C02CDD196B7';
  const accepted: Array<[name: string, identifier: string, type: string | undefined, expected: Partial<AlertSignal>]> = [
    ['an id by default, lower-cased', uuid, undefined, { alertRef: { id: uuid.toLowerCase() }, dedupKey: null }],
    ['an id when the type is empty', uuid, '', { alertRef: { id: uuid.toLowerCase() }, dedupKey: null }],
    ['a tiny id as the alert number', '1284', 'tiny', { alertRef: { number: 1284 }, dedupKey: null }],
    ['a tiny id with leading zeros', '007', 'TINY', { alertRef: { number: 7 }, dedupKey: null }],
    ['an alias as the dedup key, exactly as given', ' disk-full/db 1 ', 'alias', { alertRef: undefined, dedupKey: ' disk-full/db 1 ' }],
  ];
  for (const [name, identifier, type, expected] of accepted) {
    it(`takes ${name}`, () => {
      const signal = ok(parseOpsgenieAction(identifier, type, undefined, 'acknowledge'));
      assert.deepEqual({ alertRef: signal.alertRef, dedupKey: signal.dedupKey }, { alertRef: undefined, ...expected });
      assert.equal(signal.sender, 'opsgenie');
      assert.equal(signal.summary, '');
    });
  }

  for (const body of [undefined, null, {}, { user: 7, note: ['x'], source: '' }]) {
    it(`accepts the body ${JSON.stringify(body)} with empty details`, () => {
      const signal = ok(parseOpsgenieAction('1', 'tiny', body, 'resolve'));
      assert.deepEqual(signal.details, {});
      assert.equal(signal.source, null);
      assert.equal(signal.action, 'resolve');
    });
  }

  const refused: Array<[name: string, identifier: string, type: string | undefined, body: unknown, errors: string[]]> = [
    ['an id that is not a UUID', '1284', undefined, undefined, ["Identifier '1284' is not a valid alert id: expected a UUID (or set identifierType to alias or tiny)."]],
    ['a tiny id of zero', '0', 'tiny', undefined, ["Identifier '0' is not a valid tiny id: expected a positive integer."]],
    ['a negative tiny id', '-3', 'tiny', undefined, ["Identifier '-3' is not a valid tiny id: expected a positive integer."]],
    ['a fractional tiny id', '1.5', 'tiny', undefined, ["Identifier '1.5' is not a valid tiny id: expected a positive integer."]],
    ['a tiny id past 2^53', '9007199254740993', 'tiny', undefined, ["Identifier '9007199254740993' is not a valid tiny id: expected a positive integer."]],
    ['an alias of 513 characters', 'a'.repeat(513), 'alias', undefined, ['Alias can not be longer than 512 characters.']],
    ['an empty identifier', '', 'alias', undefined, ['Identifier can not be empty.']],
    ['an unknown identifier type', 'x', 'name', undefined, ["Identifier type 'name' is not valid: it should be one of [id, alias, tiny]."]],
    ['a body that is a string', '12', 'tiny', 'done', ['Request body must be a JSON object.']],
  ];
  for (const [name, identifier, type, body, errors] of refused) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(errorsOf(parseOpsgenieAction(identifier, type, body, 'acknowledge')), errors);
    });
  }
});

describe('Opsgenie parsers: properties', () => {
  const wellFormed = (r: ParseResult<AlertSignal>) =>
    r.ok ? Object.values(r.value.labels).every((v) => typeof v === 'string') : r.errors.length > 0 && r.errors.every((e) => typeof e === 'string');

  const nearCreate = fc.record(
    {
      message: fc.oneof(fc.string(), fc.jsonValue()),
      alias: fc.oneof(fc.string(), fc.jsonValue()),
      description: fc.oneof(fc.string(), fc.jsonValue()),
      tags: fc.oneof(fc.array(fc.oneof(fc.string(), fc.jsonValue())), fc.jsonValue()),
      details: fc.oneof(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.jsonValue())), fc.jsonValue()),
      priority: fc.oneof(fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5', 'p2', 'P0'), fc.jsonValue()),
      entity: fc.jsonValue(),
      source: fc.jsonValue(),
      user: fc.jsonValue(),
      note: fc.jsonValue(),
      actions: fc.jsonValue(),
      responders: fc.jsonValue(),
      visibleTo: fc.jsonValue(),
    },
    { requiredKeys: [] },
  );

  it('never throws on arbitrary JSON for create: it answers ok or lists reasons', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nearCreate, fc.anything()), (body) => {
        const r = parseOpsgenieCreate(body);
        assert.ok(wellFormed(r));
        if (r.ok) assert.ok([...r.value.summary].length <= 130 && r.value.summary.trim() !== '');
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary identifiers and bodies for acknowledge/close', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.uuid(), fc.nat().map(String)),
        fc.option(fc.oneof(fc.constantFrom('id', 'alias', 'tiny'), fc.string()), { nil: undefined }),
        fc.oneof(fc.jsonValue(), fc.anything(), fc.constant(undefined)),
        fc.constantFrom('acknowledge' as const, 'resolve' as const),
        (identifier, type, body, action) => {
          assert.ok(wellFormed(parseOpsgenieAction(identifier, type, body, action)));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
