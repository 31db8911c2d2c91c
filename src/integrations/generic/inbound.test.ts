import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AlertSignal } from '../../core/alerts/signal.ts';
import { errorsOf, fixtures, ok } from '../shared/testing.ts';
import { parseGenericEvent } from './inbound.ts';

const { fixture } = fixtures(import.meta.url);

describe('parseGenericEvent: fixtures', () => {
  it('maps every field of a firing event', () => {
    const body = fixture('firing.json');
    assert.deepEqual(ok(parseGenericEvent(body)), {
      sender: 'generic',
      action: 'trigger',
      dedupKey: 'backup/orders-db/2026-11-20',
      summary: 'Nightly backup of orders-db failed',
      source: 'backup-runner-2',
      severity: 'critical',
      timestamp: null,
      component: null,
      group: null,
      class: null,
      description: body.description as string,
      details: { exit_code: 1, duration_s: 2531, attempt: 3, last_success: '2026-11-18T02:47:10Z' },
      labels: { team: 'data-platform', env: 'production', job: 'nightly-backup' },
      groupKey: null,
      links: [
        { href: 'https://wiki.example.com/runbooks/backups#orders-db', text: 'Backup runbook' },
        { href: 'https://ci.example.com/job/nightly-backup/1482/console', text: 'Source' },
      ],
      images: [],
      client: null,
      clientUrl: 'https://ci.example.com/job/nightly-backup/1482/console',
      raw: body,
    } satisfies AlertSignal);
  });

  it('reads a resolve by dedup key alone', () => {
    const signal = ok(parseGenericEvent(fixture('resolved.json')));
    assert.deepEqual([signal.action, signal.dedupKey, signal.summary], ['resolve', 'backup/orders-db/2026-11-20', '']);
  });

  it('defaults a minimal event to firing, severity error, no dedup key', () => {
    const signal = ok(parseGenericEvent(fixture('minimal.json')));
    assert.deepEqual(
      [signal.action, signal.severity, signal.dedupKey, signal.summary, signal.source, signal.description],
      ['trigger', 'error', null, 'Disk almost full on build-agent-4', null, null],
    );
  });
});

describe('parseGenericEvent: mapping', () => {
  it('treats null as absent for every optional field', () => {
    const signal = ok(
      parseGenericEvent({ title: 't', status: null, dedup_key: null, severity: null, description: null, details: null, links: null, source_url: null, source: null, labels: null }),
    );
    assert.deepEqual([signal.action, signal.severity, signal.dedupKey, signal.links, signal.details, signal.labels], ['trigger', 'error', null, [], {}, {}]);
  });

  it('trims the title and link text, and keeps the dedup key exactly', () => {
    const signal = ok(parseGenericEvent({ title: '  Disk full ', dedup_key: ' k ', links: [{ href: 'http://x.example/a', text: ' A ' }] }));
    assert.equal(signal.summary, 'Disk full');
    assert.equal(signal.dedupKey, ' k ');
    assert.deepEqual(signal.links, [{ href: 'http://x.example/a', text: 'A' }]);
  });

  for (const severity of ['critical', 'error', 'warning', 'info']) {
    it(`takes severity ${severity}`, () => {
      assert.equal(ok(parseGenericEvent({ title: 't', severity })).severity, severity);
    });
  }

  it('allows a title on a resolve but does not use it', () => {
    assert.equal(ok(parseGenericEvent({ title: 'Recovered', status: 'resolved', dedup_key: 'k' })).summary, '');
  });

  it('takes limits in characters: a title of 1024 emoji fits', () => {
    assert.equal(ok(parseGenericEvent({ title: '🔥'.repeat(1024) })).summary, '🔥'.repeat(1024));
  });
});

describe('parseGenericEvent: refusals', () => {
  const cases: Array<[name: string, body: unknown, errors: string[]]> = [
    ['a list', [{ title: 't' }], ['body: must be a JSON object']],
    ['a missing title', {}, ['title: is required']],
    ['a blank title', { title: '  ' }, ['title: must not be blank']],
    ['a numeric title', { title: 5 }, ['title: must be a string']],
    ['a title of 1025 characters', { title: 't'.repeat(1025) }, ['title: must be at most 1024 characters']],
    ['an unknown status', { title: 't', status: 'ok' }, ['status: must be one of firing, resolved']],
    ['a resolve without dedup key', { status: 'resolved' }, ['dedup_key: is required when status is resolved']],
    ['a blank dedup key', { title: 't', dedup_key: ' ' }, ['dedup_key: must not be blank']],
    ['a numeric dedup key', { title: 't', dedup_key: 12 }, ['dedup_key: must be a string']],
    ['a dedup key of 256 characters', { title: 't', dedup_key: 'k'.repeat(256) }, ['dedup_key: must be at most 255 characters']],
    ['an unknown severity', { title: 't', severity: 'high' }, ['severity: must be one of critical, error, warning, info']],
    ['a description of 15001 characters', { title: 't', description: 'd'.repeat(15_001) }, ['description: must be at most 15000 characters']],
    ['details as a string', { title: 't', details: 'x' }, ['details: must be an object']],
    ['details as a list', { title: 't', details: [1] }, ['details: must be an object']],
    ['links as an object', { title: 't', links: { href: 'https://x.example' } }, ['links: must be an array']],
    ['a link without href', { title: 't', links: [{ text: 'x' }] }, ['links[0].href: is required']],
    ['a javascript: link', { title: 't', links: [{ href: 'javascript:alert(1)' }] }, ['links[0].href: must be an http or https URL']],
    ['a link with an unknown field', { title: 't', links: [{ href: 'https://x.example', rel: 'x' }] }, ['links[0].rel: unknown field']],
    ['a link that is a string', { title: 't', links: ['https://x.example'] }, ['links[0]: must be an object']],
    ['a relative source_url', { title: 't', source_url: '/jobs/1' }, ['source_url: must be an http or https URL']],
    ['an ftp source_url', { title: 't', source_url: 'ftp://x.example/a' }, ['source_url: must be an http or https URL']],
    ['a numeric source', { title: 't', source: 1 }, ['source: must be a string']],
    ['labels as a list', { title: 't', labels: ['a'] }, ['labels: must be an object of strings']],
    ['a numeric label', { title: 't', labels: { team: 'a', tier: 1 } }, ['labels.tier: must be a string']],
    ['unknown fields', { title: 't', summary: 's', routing_key: 'k' }, ['summary: unknown field', 'routing_key: unknown field']],
    [
      'several problems at once',
      { status: 'resolved', severity: 'P1', extra: 1 },
      ['extra: unknown field', 'dedup_key: is required when status is resolved', 'severity: must be one of critical, error, warning, info'],
    ],
  ];
  for (const [name, body, errors] of cases) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(errorsOf(parseGenericEvent(body)), errors);
    });
  }
});

describe('parseGenericEvent: properties', () => {
  const nearEvent = fc.record(
    {
      title: fc.oneof(fc.string(), fc.jsonValue()),
      status: fc.oneof(fc.constantFrom('firing', 'resolved'), fc.jsonValue()),
      dedup_key: fc.oneof(fc.string(), fc.jsonValue()),
      severity: fc.oneof(fc.constantFrom('critical', 'error', 'warning', 'info'), fc.jsonValue()),
      description: fc.jsonValue(),
      details: fc.jsonValue(),
      links: fc.oneof(fc.array(fc.record({ href: fc.oneof(fc.webUrl(), fc.jsonValue()), text: fc.jsonValue() }, { requiredKeys: [] })), fc.jsonValue()),
      source_url: fc.oneof(fc.webUrl(), fc.jsonValue()),
      source: fc.jsonValue(),
      labels: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );

  it('never throws on arbitrary JSON: it answers ok or lists reasons', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nearEvent, fc.anything()), (body) => {
        const r = parseGenericEvent(body);
        if (!r.ok) assert.ok(r.errors.length > 0 && r.errors.every((e) => typeof e === 'string'));
        else {
          assert.ok(r.value.action === 'resolve' ? r.value.dedupKey !== null : r.value.summary !== '');
          assert.ok(r.value.links.every((l) => /^https?:/i.test(l.href)));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
