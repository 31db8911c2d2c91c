import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AlertSignal } from '../../core/alerts/signal.ts';
import { errorsOf, fixtures, ok } from '../shared/testing.ts';
import { labelsFingerprint, parseAlertmanagerWebhook, severityOf, summaryOf } from './inbound.ts';

const { fixture, fixtureNames } = fixtures(import.meta.url);

const groupOf = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== 'alerts'));

const alert = (extra: Record<string, unknown> = {}) => ({
  status: 'firing',
  labels: { alertname: 'HighLatency', job: 'api', severity: 'warning' },
  annotations: { summary: 'p99 above 500ms' },
  startsAt: '2026-11-20T09:12:30Z',
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
  fingerprint: 'aaaaaaaaaaaaaaaa',
  ...extra,
});
const webhook = (alerts: unknown[], extra: Record<string, unknown> = {}) => ({
  version: '4',
  groupKey: '{}:{alertname="HighLatency"}',
  status: 'firing',
  receiver: 'vigil',
  externalURL: 'http://alertmanager:9093',
  alerts,
  ...extra,
});

describe('parseAlertmanagerWebhook: fixtures', () => {
  it('turns a firing group of two alerts into two triggers', () => {
    const body = fixture('firing-two-alerts.json');
    const signals = ok(parseAlertmanagerWebhook(body));
    const alerts = body.alerts as Array<Record<string, unknown>>;
    const generatorURL =
      'http://prometheus-k8s-0:9090/graph?g0.expr=histogram_quantile%280.99%2C+sum+by+%28le%2C+instance%29+%28rate%28http_request_duration_seconds_bucket%7Bjob%3D%22checkout-api%22%7D%5B5m%5D%29%29%29+%3E+0.5&g0.tab=1';
    assert.deepEqual(signals[0], {
      sender: 'alertmanager',
      action: 'trigger',
      dedupKey: '4055a3e83aff3558',
      summary: '[HighLatency] p99 latency above 500ms on checkout-api',
      source: '10.42.3.17:8080',
      severity: 'warning',
      timestamp: new Date(Date.UTC(2026, 10, 20, 9, 12, 30, 517)),
      component: null,
      group: null,
      class: null,
      description: '99th percentile latency of checkout-api on 10.42.3.17:8080 is 812ms (threshold 500ms) for the last 10 minutes.',
      details: {
        description: '99th percentile latency of checkout-api on 10.42.3.17:8080 is 812ms (threshold 500ms) for the last 10 minutes.',
        runbook_url: 'https://runbooks.example.com/checkout/HighLatency',
        summary: 'p99 latency above 500ms on checkout-api',
      },
      labels: {
        alertname: 'HighLatency',
        instance: '10.42.3.17:8080',
        job: 'checkout-api',
        namespace: 'checkout',
        pod: 'checkout-api-7d9f8c6b5-x2m4q',
        prometheus: 'monitoring/k8s',
        service: 'checkout-api',
        severity: 'warning',
      },
      groupKey: '{}:{alertname="HighLatency"}',
      links: [
        { href: generatorURL, text: 'Source' },
        { href: 'https://runbooks.example.com/checkout/HighLatency', text: 'Runbook' },
        { href: 'http://alertmanager-main-0:9093', text: 'Alertmanager' },
      ],
      images: [],
      client: 'Alertmanager',
      clientUrl: generatorURL,
      raw: { ...groupOf(body), alert: alerts[0] },
    } satisfies AlertSignal);
    assert.equal(signals.length, 2);
    assert.equal(signals[1]!.dedupKey, '67edee0eed702736');
    assert.equal(signals[1]!.source, '10.42.5.9:8080');
    assert.deepEqual(signals[1]!.raw, { ...groupOf(body), alert: alerts[1] });
    assert.equal((signals[0]!.raw as Record<string, unknown>).receiver, 'vigil\\.checkout'); // kept as sent, regex-escaped
  });

  it('turns a resolved group into a resolve keeping the end time in details', () => {
    const [signal, ...rest] = ok(parseAlertmanagerWebhook(fixture('resolved.json')));
    assert.deepEqual(rest, []);
    assert.equal(signal!.action, 'resolve');
    assert.equal(signal!.dedupKey, '0740b48e0bd7dda2');
    assert.equal(signal!.summary, '');
    assert.equal(signal!.severity, 'critical');
    assert.equal(signal!.details.endsAt, '2026-11-20T08:06:42.803Z');
    assert.deepEqual(signal!.timestamp, new Date(Date.UTC(2026, 10, 20, 7, 41, 12, 803)));
    assert.equal(signal!.groupKey, '{}/{severity="critical"}:{namespace="billing"}');
  });

  it('reads each alert of a mixed group by its own status, and ignores unknown fields (notification_reason)', () => {
    const signals = ok(parseAlertmanagerWebhook(fixture('firing-and-resolved.json')));
    assert.deepEqual(
      signals.map((s) => [s.action, s.dedupKey, s.source, 'endsAt' in s.details]),
      [
        ['trigger', 'f652ecf540fd8b9a', 'node-a.dc1.example.net:9100', false],
        ['resolve', 'a499ee00943c49f0', 'node-c.dc1.example.net:9100', true],
      ],
    );
    assert.equal(signals[0]!.summary, '[NodeFilesystemSpaceFillingUp] Filesystem is predicted to run out of space within the next 24 hours.');
  });

  it('parses every fixture, captured ones included, each alert keyed by its fingerprint', () => {
    for (const file of fixtureNames()) {
      const body = fixture(file);
      const signals = ok(parseAlertmanagerWebhook(body));
      const alerts = body.alerts as Array<Record<string, unknown>>;
      assert.equal(signals.length, alerts.length, file);
      signals.forEach((s, i) => {
        assert.equal(s.dedupKey, alerts[i]!.fingerprint, file);
        assert.equal(s.action, alerts[i]!.status === 'resolved' ? 'resolve' : 'trigger', file);
        assert.equal(s.groupKey, body.groupKey, file);
      });
    }
  });

  it('derives from the labels exactly the fingerprint Alertmanager sent, for every fixture alert', () => {
    for (const file of fixtureNames()) {
      for (const a of fixture(file).alerts as Array<{ labels: Record<string, string>; fingerprint: string }>) {
        assert.equal(labelsFingerprint(a.labels), a.fingerprint, `${file}: ${JSON.stringify(a.labels)}`);
      }
    }
  });
});

describe('labelsFingerprint', () => {
  // The values prometheus/common's own tests expect (as unsigned decimals there).
  const vectors: Array<[labels: Record<string, string>, decimal: bigint]> = [
    [{}, 14695981039346656037n],
    [{ name: 'garland, briggs', fear: 'love is not enough' }, 5799056148416392346n],
    [{ 'first-label': 'first-label-value' }, 5146282821936882169n],
    [{ 'first-label': 'first-label-value', 'second-label': 'second-label-value', 'third-label': 'third-label-value' }, 13843036195897128121n],
  ];
  for (const [labels, decimal] of vectors) {
    it(`gives ${decimal} for ${JSON.stringify(labels)}`, () => {
      assert.equal(labelsFingerprint(labels), decimal.toString(16).padStart(16, '0'));
    });
  }

  it('does not depend on the order of the labels', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (labels) => {
        const reversed = Object.fromEntries(Object.entries(labels).reverse());
        assert.equal(labelsFingerprint(reversed), labelsFingerprint(labels));
        assert.match(labelsFingerprint(labels), /^[0-9a-f]{16}$/);
      }),
    );
  });

  it('keys an alert sent without a fingerprint by its labels', () => {
    const labels = { alertname: 'VigilTestInstanceDown', instance: 'db-1.example:9100', job: 'node', severity: 'critical' };
    const [signal] = ok(parseAlertmanagerWebhook(webhook([alert({ labels, fingerprint: undefined })])));
    assert.equal(signal!.dedupKey, '112d262770aad59e');
  });
});

describe('parseAlertmanagerWebhook: mapping', () => {
  const severities: Array<[label: string | undefined, expected: string]> = [
    ['critical', 'critical'],
    ['page', 'critical'],
    ['CRITICAL', 'critical'],
    ['P1', 'critical'],
    ['error', 'error'],
    ['high', 'error'],
    ['warning', 'warning'],
    [' warn ', 'warning'],
    ['info', 'info'],
    ['none', 'info'],
    ['low', 'info'],
    [undefined, 'error'],
    ['sev-unknown', 'error'],
    ['constructor', 'error'],
  ];
  for (const [label, expected] of severities) {
    it(`maps severity label ${JSON.stringify(label)} to ${expected}`, () => {
      assert.equal(severityOf(label), expected);
    });
  }

  const summaries: Array<[labels: Record<string, string>, annotations: Record<string, string>, expected: string]> = [
    [{ alertname: 'A' }, { summary: 'S', message: 'M', description: 'D' }, '[A] S'],
    [{ alertname: 'A' }, { message: 'M', description: 'D' }, '[A] M'],
    [{ alertname: 'A' }, { description: '\n  first line\nsecond line' }, '[A] first line'],
    [{ alertname: 'A' }, { summary: '   ' }, 'A'],
    [{}, { summary: 'S' }, 'S'],
    [{}, {}, 'Alertmanager alert'],
    [{ alertname: 'A' }, { summary: 'x'.repeat(2000) }, `[A] ${'x'.repeat(1019)}…`],
  ];
  for (const [labels, annotations, expected] of summaries) {
    it(`titles ${JSON.stringify(labels)} + ${JSON.stringify(annotations).slice(0, 60)} as ${expected.slice(0, 30)}`, () => {
      assert.equal(summaryOf(labels, annotations), expected);
    });
  }

  it('accepts a payload without version, and version given as the number 4', () => {
    const withoutVersion: Record<string, unknown> = webhook([alert()]);
    delete withoutVersion.version;
    assert.equal(ok(parseAlertmanagerWebhook(withoutVersion)).length, 1);
    assert.equal(ok(parseAlertmanagerWebhook(webhook([alert()], { version: 4 }))).length, 1);
  });

  it('accepts unknown fields on the group and on alerts', () => {
    const body = webhook([alert({ silencedBy: [], extra: { a: 1 } })], { routeLabels: { team: 'x' }, notification_reason: 'first notification', future: true });
    assert.equal(ok(parseAlertmanagerWebhook(body)).length, 1);
  });

  it('accepts an empty alerts list as nothing to do', () => {
    assert.deepEqual(ok(parseAlertmanagerWebhook(webhook([]))), []);
  });

  it('uses instance, then job, as source', () => {
    const sources = [{ instance: 'h:1', job: 'j' }, { job: 'j' }, {}].map((labels) => ok(parseAlertmanagerWebhook(webhook([alert({ labels })])))[0]!.source);
    assert.deepEqual(sources, ['h:1', 'j', null]);
  });

  it('drops links that are not http(s) instead of refusing, and falls back to externalURL for clientUrl', () => {
    const [signal] = ok(
      parseAlertmanagerWebhook(webhook([alert({ generatorURL: 'javascript:alert(1)', annotations: { runbook_url: 'wiki/page' } })], { externalURL: '' })),
    );
    assert.deepEqual(signal!.links, []);
    assert.equal(signal!.clientUrl, null);
    const [other] = ok(parseAlertmanagerWebhook(webhook([alert({ generatorURL: '' })])));
    assert.deepEqual(other!.links, [{ href: 'http://alertmanager:9093', text: 'Alertmanager' }]);
    assert.equal(other!.clientUrl, 'http://alertmanager:9093');
  });

  it('treats a missing or zero endsAt and startsAt as not set', () => {
    const [signal] = ok(parseAlertmanagerWebhook(webhook([alert({ startsAt: '0001-01-01T00:00:00Z', endsAt: undefined })])));
    assert.equal(signal!.timestamp, null);
    assert.equal('endsAt' in signal!.details, false);
  });

  it('takes the group status when an alert has none, and a null groupKey when it is empty', () => {
    const a: Record<string, unknown> = alert();
    delete a.status;
    const [signal] = ok(parseAlertmanagerWebhook(webhook([a], { status: 'resolved', groupKey: '' })));
    assert.equal(signal!.action, 'resolve');
    assert.equal(signal!.groupKey, null);
  });
});

describe('parseAlertmanagerWebhook: refusals', () => {
  const cases: Array<[name: string, body: unknown, errors: string[]]> = [
    ['a list', [alert()], ['payload: must be a JSON object (an Alertmanager webhook notification)']],
    ['version 3', webhook([alert()], { version: '3' }), ['version: webhook payload version "3" is not supported (only "4")']],
    ['no alerts', webhook([], { alerts: undefined }), ['alerts: missing (expected a list of alerts)']],
    ['alerts as an object', webhook([], { alerts: { a: alert() } }), ['alerts: must be a list']],
    ['a numeric groupKey', webhook([alert()], { groupKey: 5 }), ['groupKey: must be a string']],
    ['an alert that is a string', webhook([alert(), 'firing']), ['alerts[1]: must be an object']],
    ['an unknown alert status', webhook([alert({ status: 'pending' })]), ['alerts[0].status: must be "firing" or "resolved", got "pending"']],
    ['labels as a list', webhook([alert({ labels: ['a=b'] })]), ['alerts[0].labels: must be an object of strings']],
    ['a numeric label value', webhook([alert({ labels: { alertname: 'A', code: 500 } })]), ['alerts[0].labels.code: must be a string']],
    ['an annotation that is an object', webhook([alert({ annotations: { summary: { text: 'x' } } })]), ['alerts[0].annotations.summary: must be a string']],
    ['a startsAt that is not RFC 3339', webhook([alert({ startsAt: '20/11/2026 09:12' })]), ['alerts[0].startsAt: not an RFC 3339 time: "20/11/2026 09:12"']],
    ['a numeric endsAt', webhook([alert({ endsAt: 1700000000 })]), ['alerts[0].endsAt: not an RFC 3339 time: 1700000000']],
    ['a numeric fingerprint', webhook([alert({ fingerprint: 12 })]), ['alerts[0].fingerprint: must be a string']],
    [
      'problems in two alerts',
      webhook([alert({ status: 'x' }), alert(), alert({ labels: { a: null } })]),
      ['alerts[0].status: must be "firing" or "resolved", got "x"', 'alerts[2].labels.a: must be a string'],
    ],
  ];
  for (const [name, body, errors] of cases) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(errorsOf(parseAlertmanagerWebhook(body)), errors);
    });
  }
});

describe('parseAlertmanagerWebhook: properties', () => {
  const nearAlert = fc.record(
    {
      status: fc.oneof(fc.constantFrom('firing', 'resolved'), fc.jsonValue()),
      labels: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()),
      annotations: fc.oneof(fc.dictionary(fc.constantFrom('summary', 'description', 'message', 'runbook_url', 'x'), fc.string()), fc.jsonValue()),
      startsAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constant('0001-01-01T00:00:00Z'), fc.jsonValue()),
      endsAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constant('0001-01-01T00:00:00Z'), fc.jsonValue()),
      generatorURL: fc.oneof(fc.webUrl(), fc.jsonValue()),
      fingerprint: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 }), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );
  const nearWebhook = fc.record(
    {
      version: fc.oneof(fc.constant('4'), fc.jsonValue()),
      groupKey: fc.oneof(fc.string(), fc.jsonValue()),
      status: fc.oneof(fc.constantFrom('firing', 'resolved'), fc.jsonValue()),
      externalURL: fc.oneof(fc.webUrl(), fc.jsonValue()),
      alerts: fc.oneof(fc.array(fc.oneof(nearAlert, fc.jsonValue()), { maxLength: 5 }), fc.jsonValue()),
    },
    { requiredKeys: [] },
  );

  it('never throws on arbitrary JSON: it answers ok or lists reasons', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nearWebhook, fc.anything()), (body) => {
        const r = parseAlertmanagerWebhook(body);
        if (!r.ok) assert.ok(r.errors.length > 0 && r.errors.every((e) => typeof e === 'string'));
        else for (const s of r.value) assert.ok(s.dedupKey !== null && s.dedupKey !== '' && Object.values(s.labels).every((v) => typeof v === 'string'));
      }),
      { numRuns: 2000 },
    );
  });
});
