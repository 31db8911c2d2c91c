import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AlertSignal, ParseResult } from '../../core/alerts/signal.ts';
import { errorsOf, fixtures, ok } from '../shared/testing.ts';
import { parsePagerDutyChange, parsePagerDutyEvent } from './inbound.ts';

const { fixture, fixtureNames } = fixtures(import.meta.url);
const KEY = 'r3f8kq2mz7x1c9v0b4n6h5j2l8p0w3ts';

const minimal = () => ({
  routing_key: KEY,
  event_action: 'trigger',
  payload: { summary: 'CPU high on web-1', source: 'web-1', severity: 'warning' },
});

describe('parsePagerDutyEvent: fixtures', () => {
  it('maps every field of a full trigger', () => {
    const body = fixture('trigger-full.json');
    const { routingKey, signal } = ok(parsePagerDutyEvent(body));
    assert.equal(routingKey, KEY);
    assert.deepEqual(signal, {
      sender: 'pagerduty',
      action: 'trigger',
      dedupKey: 'disk-full/db-primary-01.prod.example.net//var/lib/postgresql',
      summary: 'DISK CRITICAL - free space: /var/lib/postgresql 2104 MB (3% inode=91%) on db-primary-01',
      source: 'db-primary-01.prod.example.net',
      severity: 'critical',
      timestamp: new Date(Date.UTC(2026, 10, 20, 3, 14, 7, 482)),
      component: 'postgresql',
      group: 'prod-datastore',
      class: 'disk',
      description: null,
      details: (body.payload as Record<string, unknown>).custom_details as Record<string, unknown>,
      labels: {
        mount: '/var/lib/postgresql',
        free_mb: '2104',
        free_percent: '3',
        inode_free_percent: '91',
        replica: 'false',
        check_command: 'check_disk!5%!3%',
        severity: 'critical',
        source: 'db-primary-01.prod.example.net',
        component: 'postgresql',
        group: 'prod-datastore',
        class: 'disk',
      },
      groupKey: null,
      links: [
        { href: 'https://wiki.example.net/runbooks/postgres-disk-full', text: 'Runbook: PostgreSQL disk full' },
        { href: 'https://nagios.example.net/cgi-bin/extinfo.cgi?type=2&host=db-primary-01&service=disk' },
      ],
      images: [
        {
          src: 'https://grafana.example.net/render/d-solo/db-overview?panelId=7&width=600&height=300',
          href: 'https://grafana.example.net/d/db-overview?var-host=db-primary-01',
          alt: 'Disk free space, last 6 hours',
        },
      ],
      client: 'Nagios XI',
      clientUrl: 'https://nagios.example.net/nagiosxi/',
      raw: body,
    } satisfies AlertSignal);
  });

  it('leaves the dedup key null on a trigger without one (core generates it)', () => {
    const { signal } = ok(parsePagerDutyEvent(fixture('trigger-minimal.json')));
    assert.equal(signal.dedupKey, null);
    assert.equal(signal.timestamp, null);
    assert.deepEqual(signal.details, {});
    assert.deepEqual(signal.labels, { severity: 'error', source: 'synthetics/checkout-login' });
    assert.deepEqual([signal.links, signal.images, signal.client, signal.clientUrl], [[], [], null, null]);
  });

  for (const [file, action] of [
    ['acknowledge.json', 'acknowledge'],
    ['resolve.json', 'resolve'],
  ] as const) {
    it(`reads ${file} as ${action} by dedup key, ignoring any payload`, () => {
      const body = fixture(file);
      const { routingKey, signal } = ok(parsePagerDutyEvent(body));
      assert.equal(routingKey, KEY);
      assert.equal(signal.action, action);
      assert.equal(signal.dedupKey, 'disk-full/db-primary-01.prod.example.net//var/lib/postgresql');
      assert.equal(signal.summary, '');
      assert.deepEqual(signal.labels, {});
      assert.equal(signal.raw, body);
    });
  }

  it('accepts fields it does not know and keeps a string custom_details under details.details', () => {
    const body = fixture('trigger-extra-fields.json');
    const { signal } = ok(parsePagerDutyEvent(body));
    assert.deepEqual(signal.details, {
      details: 'Error rate is 7.2% over the last 5 minutes (threshold 5%).\n\n@pagerduty-checkout',
    });
    assert.deepEqual(signal.labels, { severity: 'warning', source: 'checkout-api' });
    assert.equal(signal.client, 'Datadog');
    assert.equal(signal.raw, body);
  });

  it('parses every fixture that is an alert event', () => {
    for (const file of fixtureNames().filter((f) => !f.startsWith('change'))) {
      assert.equal(parsePagerDutyEvent(fixture(file)).ok, true, file);
    }
  });
});

describe('parsePagerDutyEvent: mapping', () => {
  const withPayload = (payload: Record<string, unknown>) => {
    const body = minimal();
    return { ...body, payload: { ...body.payload, ...payload } };
  };

  const timestamps: Array<[input: string, expected: Date]> = [
    ['2015-07-17T08:42:58.315+0000', new Date(Date.UTC(2015, 6, 17, 8, 42, 58, 315))],
    ['2024-03-01T10:00:00Z', new Date(Date.UTC(2024, 2, 1, 10))],
    ['2024-03-01T10:00:00.123456789Z', new Date(Date.UTC(2024, 2, 1, 10, 0, 0, 123))],
    ['2024-03-01T12:30:00+02:30', new Date(Date.UTC(2024, 2, 1, 10))],
    ['2024-03-01T05:00:00-05', new Date(Date.UTC(2024, 2, 1, 10))],
    ['2024-03-01T10:00:00', new Date(Date.UTC(2024, 2, 1, 10))], // no offset: read as UTC
    ['2024-03-01 10:00Z', new Date(Date.UTC(2024, 2, 1, 10))],
    ['2024-02-29', new Date(Date.UTC(2024, 1, 29))],
  ];
  for (const [input, expected] of timestamps) {
    it(`reads payload.timestamp ${input} as ${expected.toISOString()}`, () => {
      assert.deepEqual(ok(parsePagerDutyEvent(withPayload({ timestamp: input }))).signal.timestamp, expected);
    });
  }

  it('trims the summary and source, and drops blank optional fields', () => {
    const { signal } = ok(parsePagerDutyEvent(withPayload({ summary: '  CPU high \n', source: ' web-1 ', component: '  ', group: null })));
    assert.equal(signal.summary, 'CPU high');
    assert.equal(signal.source, 'web-1');
    assert.equal(signal.component, null);
    assert.equal(signal.group, null);
  });

  it('lets the payload fields win over custom_details keys of the same name in labels', () => {
    const { signal } = ok(parsePagerDutyEvent(withPayload({ custom_details: { severity: 'sev1', source: 'x', team: 'payments', nested: { a: 1 } } })));
    assert.deepEqual(signal.labels, { severity: 'warning', source: 'web-1', team: 'payments' });
    assert.deepEqual(signal.details, { severity: 'sev1', source: 'x', team: 'payments', nested: { a: 1 } });
  });

  for (const value of [42, true, ['a', 'b'], 'plain text']) {
    it(`keeps a custom_details of ${JSON.stringify(value)} under details.details`, () => {
      assert.deepEqual(ok(parsePagerDutyEvent(withPayload({ custom_details: value }))).signal.details, { details: value });
    });
  }

  it('treats a __proto__ key in custom_details as data, never as a prototype', () => {
    const body = JSON.parse(
      `{"routing_key":"${KEY}","event_action":"trigger","payload":{"summary":"s","source":"h","severity":"info","custom_details":{"__proto__":"polluted","constructor":"c"}}}`,
    );
    const { signal } = ok(parsePagerDutyEvent(body));
    assert.equal(Object.getPrototypeOf(signal.labels), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(signal.labels, '__proto__')?.value, 'polluted');
    assert.equal(signal.labels.constructor, 'c');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('counts lengths in characters, so 255 emoji fit in a dedup key', () => {
    const body = { ...minimal(), dedup_key: '🔥'.repeat(255) };
    assert.equal(ok(parsePagerDutyEvent(body)).signal.dedupKey, '🔥'.repeat(255));
  });

  it('treats a blank dedup key on a trigger as absent', () => {
    assert.equal(ok(parsePagerDutyEvent({ ...minimal(), dedup_key: '' })).signal.dedupKey, null);
  });
});

describe('parsePagerDutyEvent: refusals', () => {
  const cases: Array<[name: string, body: unknown, errors: string[]]> = [
    ['a body that is not an object', ['trigger'], ['Event object is invalid (must be a JSON object)']],
    ['null', null, ['Event object is invalid (must be a JSON object)']],
    ['a missing routing key', { ...minimal(), routing_key: undefined }, ["'routing_key' is missing or blank"]],
    ['a short routing key', { ...minimal(), routing_key: 'abc' }, ["Length of 'routing_key' is incorrect (should be 32 characters)"]],
    ['a numeric routing key', { ...minimal(), routing_key: 12345 }, ["'routing_key' must be a string"]],
    ['a missing event action', { ...minimal(), event_action: undefined }, ["'event_action' is missing or blank"]],
    [
      'an unknown event action',
      { ...minimal(), event_action: 'escalate' },
      ["'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')"],
    ],
    ['a dedup key of 256 characters', { ...minimal(), dedup_key: 'k'.repeat(256) }, ["Length of 'dedup_key' is too long (maximum is 255 characters)"]],
    ['a numeric dedup key', { ...minimal(), dedup_key: 7 }, ["'dedup_key' must be a string"]],
    ['an acknowledge without dedup key', { routing_key: KEY, event_action: 'acknowledge' }, ["'dedup_key' is missing or blank"]],
    ['a resolve with a blank dedup key', { routing_key: KEY, event_action: 'resolve', dedup_key: '  ' }, ["'dedup_key' is missing or blank"]],
    ['a trigger without payload', { routing_key: KEY, event_action: 'trigger' }, ["'payload' is missing or blank"]],
    ['a payload that is a string', { ...minimal(), payload: 'CPU high' }, ["'payload' must be an object"]],
    [
      'an empty payload',
      { ...minimal(), payload: {} },
      ["'payload.summary' is missing or blank", "'payload.source' is missing or blank", "'payload.severity' is missing or blank"],
    ],
    ['a blank summary', { ...minimal(), payload: { ...minimal().payload, summary: ' \t ' } }, ["'payload.summary' is missing or blank"]],
    [
      'a summary of 1025 characters',
      { ...minimal(), payload: { ...minimal().payload, summary: 's'.repeat(1025) } },
      ["Length of 'payload.summary' is too long (maximum is 1024 characters)"],
    ],
    ['a numeric source', { ...minimal(), payload: { ...minimal().payload, source: 10 } }, ["'payload.source' must be a string"]],
    [
      'an unknown severity',
      { ...minimal(), payload: { ...minimal().payload, severity: 'high' } },
      ["'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')"],
    ],
    [
      'a severity in capitals',
      { ...minimal(), payload: { ...minimal().payload, severity: 'CRITICAL' } },
      ["'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')"],
    ],
    ...['yesterday', '2024-02-30T00:00:00Z', '2023-02-29', '2024-13-01T00:00:00Z', '2024-03-01T25:00:00Z', '2024-03-01T10:00:00+2400', 1709287200].map(
      (timestamp): [string, unknown, string[]] => [
        `the timestamp ${JSON.stringify(timestamp)}`,
        { ...minimal(), payload: { ...minimal().payload, timestamp } },
        ["'payload.timestamp' is invalid (must be an ISO 8601 timestamp)"],
      ],
    ),
    ['a numeric component', { ...minimal(), payload: { ...minimal().payload, component: 1 } }, ["'payload.component' must be a string"]],
    ['a class that is an object', { ...minimal(), payload: { ...minimal().payload, class: {} } }, ["'payload.class' must be a string"]],
    ['links that are not an array', { ...minimal(), links: { href: 'https://x' } }, ["'links' must be an array"]],
    ['a link without href', { ...minimal(), links: [{ text: 'Runbook' }] }, ["'links[0].href' is missing or blank"]],
    [
      'a javascript: link',
      { ...minimal(), links: [{ href: 'https://ok.example' }, { href: 'javascript:alert(1)' }] },
      ["'links[1].href' is invalid (must be an http or https URL)"],
    ],
    ['a link that is a string', { ...minimal(), links: ['https://x.example'] }, ["'links[0]' must be an object"]],
    ['an image over plain http', { ...minimal(), images: [{ src: 'http://grafana.example/x.png' }] }, ["'images[0].src' is invalid (must be an https URL)"]],
    ['an image without src', { ...minimal(), images: [{ alt: 'graph' }] }, ["'images[0].src' is missing or blank"]],
    ['a client_url that is not a URL', { ...minimal(), client_url: 'nagios' }, ["'client_url' is invalid (must be an http or https URL)"]],
    ['a numeric client', { ...minimal(), client: 5 }, ["'client' must be a string"]],
    [
      'several problems at once',
      { routing_key: 'short', event_action: 'trigger', payload: { summary: '', severity: 'bad' } },
      [
        "Length of 'routing_key' is incorrect (should be 32 characters)",
        "'payload.summary' is missing or blank",
        "'payload.source' is missing or blank",
        "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
      ],
    ],
  ];
  for (const [name, body, errors] of cases) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(errorsOf(parsePagerDutyEvent(body)), errors);
    });
  }
});

describe('parsePagerDutyChange', () => {
  it('maps the change event fixture', () => {
    const body = fixture('change.json');
    const { routingKey, change } = ok(parsePagerDutyChange(body));
    assert.equal(routingKey, KEY);
    assert.deepEqual(change, {
      summary: 'Deployed checkout-api v2026.11.19-3 (4f9c2e1) to production',
      source: 'github-actions/deploy-production',
      timestamp: new Date(Date.UTC(2026, 10, 20, 2, 58, 41)),
      details: {
        build_number: '8812',
        commit: '4f9c2e1b7d0a53c6e8f1a2b3c4d5e6f708192a3b',
        triggered_by: 'mchen',
        environment: 'production',
      },
      links: [
        { href: 'https://github.com/example/checkout-api/actions/runs/11829304756', text: 'Workflow run' },
        { href: 'https://github.com/example/checkout-api/compare/2026.11.19-2...2026.11.19-3', text: 'Changes' },
      ],
      raw: body,
    });
  });

  it('needs only the routing key and a summary, and ignores unknown fields', () => {
    const { change } = ok(parsePagerDutyChange({ routing_key: KEY, payload: { summary: 'Feature flag new-checkout at 50%', extra: 1 }, images: 'x' }));
    assert.deepEqual(change, { summary: 'Feature flag new-checkout at 50%', source: null, timestamp: null, details: {}, links: [], raw: change.raw });
  });

  const cases: Array<[name: string, body: unknown, errors: string[]]> = [
    ['a string body', 'deploy', ['Event object is invalid (must be a JSON object)']],
    ['no payload', { routing_key: KEY }, ["'payload' is missing or blank"]],
    ['no summary', { routing_key: KEY, payload: { source: 'ci' } }, ["'payload.summary' is missing or blank"]],
    [
      'a long summary and a bad key',
      { routing_key: KEY + 'x', payload: { summary: 'x'.repeat(1025) } },
      ["Length of 'routing_key' is incorrect (should be 32 characters)", "Length of 'payload.summary' is too long (maximum is 1024 characters)"],
    ],
    ['a bad timestamp', { routing_key: KEY, payload: { summary: 's', timestamp: 'now' } }, ["'payload.timestamp' is invalid (must be an ISO 8601 timestamp)"]],
    ['a link without href', { routing_key: KEY, payload: { summary: 's' }, links: [{}] }, ["'links[0].href' is missing or blank"]],
  ];
  for (const [name, body, errors] of cases) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(errorsOf(parsePagerDutyChange(body)), errors);
    });
  }
});

describe('PagerDuty parsers: properties', () => {
  const wellFormedErrors = (r: ParseResult<unknown>) =>
    r.ok || (r.errors.length > 0 && r.errors.every((e) => typeof e === 'string' && e.length > 0));

  // Bodies close to valid ones, so the properties reach the deep branches and not only the first check.
  const nearEvent = fc.record(
    {
      routing_key: fc.oneof(fc.constant(KEY), fc.string({ minLength: 31, maxLength: 33 }), fc.jsonValue()),
      event_action: fc.oneof(fc.constantFrom('trigger', 'acknowledge', 'resolve'), fc.jsonValue()),
      dedup_key: fc.oneof(fc.string(), fc.jsonValue()),
      payload: fc.oneof(
        fc.record(
          {
            summary: fc.oneof(fc.string(), fc.jsonValue()),
            source: fc.oneof(fc.string(), fc.jsonValue()),
            severity: fc.oneof(fc.constantFrom('critical', 'error', 'warning', 'info'), fc.jsonValue()),
            timestamp: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string(), fc.jsonValue()),
            component: fc.jsonValue(),
            custom_details: fc.jsonValue(),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue(),
      ),
      links: fc.oneof(fc.array(fc.record({ href: fc.oneof(fc.webUrl(), fc.jsonValue()), text: fc.jsonValue() }, { requiredKeys: [] })), fc.jsonValue()),
      images: fc.oneof(fc.array(fc.record({ src: fc.oneof(fc.webUrl(), fc.jsonValue()), alt: fc.jsonValue() }, { requiredKeys: [] })), fc.jsonValue()),
      client_url: fc.oneof(fc.webUrl(), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );

  it('never throws on arbitrary JSON: it answers ok or lists reasons', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nearEvent, fc.anything()), (body) => {
        assert.ok(wellFormedErrors(parsePagerDutyEvent(body)));
        assert.ok(wellFormedErrors(parsePagerDutyChange(body)));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives only string labels and keeps the body as raw on every accepted event', () => {
    fc.assert(
      fc.property(nearEvent, (body) => {
        const r = parsePagerDutyEvent(body);
        if (!r.ok) return;
        assert.ok(Object.values(r.value.signal.labels).every((v) => typeof v === 'string'));
        assert.equal(r.value.signal.raw, body);
        assert.equal([...r.value.routingKey].length, 32);
      }),
      { numRuns: 2000 },
    );
  });
});
