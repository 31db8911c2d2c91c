// What a real Alertmanager (Debian's prometheus-alertmanager 0.25) sends to a webhook receiver:
// one group of two firing alerts, then one of them resolved. Skipped when the binary is absent.
//
// Run: node_modules/.bin/node --test e2e/alertmanager-sender.test.ts
// To re-capture the fixtures under src/integrations/alertmanager/fixtures/ from this run:
//   VIGIL_WRITE_ALERTMANAGER_FIXTURES=1 node_modules/.bin/node --test e2e/alertmanager-sender.test.ts
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALERTMANAGER_SKIP_REASON, alertmanagerBinary, type Alertmanager, type PostableAlert, startAlertmanager } from './support/alertmanager.ts';
import { ROOT } from './support/server-process.ts';

interface WebhookAlert {
  status: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

interface WebhookBody {
  version: string;
  groupKey: string;
  truncatedAlerts: number;
  status: string;
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

interface Delivery {
  at: number;
  path: string;
  contentType: string | undefined;
  raw: string;
  body: WebhookBody;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';
const FIXTURES = join(ROOT, 'src/integrations/alertmanager/fixtures');
const GENERATOR_URL = 'http://prometheus.example:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1';

/** An ISO time as Go's RFC 3339 formatting writes it: no trailing zeros in the fraction. */
const goTime = (iso: string): string => iso.replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));

/** Polls until `check` returns a value, or fails after `ms` with `what` and the Alertmanager log. */
async function waitFor<T>(what: string, ms: number, check: () => T | undefined, am?: Alertmanager): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}${am ? `\nAlertmanager log:\n${am.logs()}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The captured body as a fixture: pretty-printed, with the host name of this machine replaced. */
function asFixture(body: WebhookBody): string {
  return `${JSON.stringify({ ...body, externalURL: 'http://alertmanager.example:9093' }, null, 2)}\n`;
}

describe('a real Alertmanager 0.25 sending to a webhook', { skip: alertmanagerBinary() ? false : ALERTMANAGER_SKIP_REASON }, () => {
  const deliveries: Delivery[] = [];
  let capture: Server;
  let am: Alertmanager;

  before(async () => {
    capture = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        deliveries.push({ at: Date.now(), path: req.url ?? '', contentType: req.headers['content-type'], raw, body: JSON.parse(raw) as WebhookBody });
        res.writeHead(200).end();
      });
    });
    capture.listen(0, '127.0.0.1');
    await once(capture, 'listening');
    const { port } = capture.address() as { port: number };
    am = await startAlertmanager({ webhookUrl: `http://127.0.0.1:${port}/alertmanager`, groupBy: ['alertname'], groupWait: '1s', groupInterval: '1s', sendResolved: true });
  });

  after(async () => {
    await am?.stop();
    capture?.close();
  });

  it('groups two firing alerts into one notification, then reports one resolved with the same fingerprints', { timeout: 20_000 }, async (t) => {
    // Starting now keeps group_wait in force: an alert that started more than group_wait ago makes
    // a new group flush at once (in a few ms), with whatever alerts have reached it by then.
    const startsAt = new Date().toISOString();
    const alert = (instance: string): PostableAlert => ({
      labels: { alertname: 'VigilTestInstanceDown', severity: 'critical', job: 'node', instance },
      annotations: { summary: `${instance} is down`, runbook_url: 'https://runbooks.example.com/instance-down' },
      startsAt,
      generatorURL: GENERATOR_URL,
    });
    const a = alert('db-1.example:9100');
    const b = alert('db-2.example:9100');

    const postedFiring = Date.now();
    await am.post([a, b]);
    const firing = await waitFor('the firing notification', 10_000, () => deliveries[0], am);
    t.diagnostic(`firing notification arrived ${firing.at - postedFiring} ms after the post (group_wait 1s)`);

    assert.equal(firing.path, '/alertmanager');
    assert.equal(firing.contentType, 'application/json');
    assert.equal(firing.body.version, '4');
    assert.equal(firing.body.groupKey, '{}:{alertname="VigilTestInstanceDown"}');
    assert.equal(firing.body.receiver, 'vigil\\.webhook', 'the receiver name is regex-escaped');
    assert.equal(firing.body.status, 'firing');
    assert.deepEqual(firing.body.groupLabels, { alertname: 'VigilTestInstanceDown' });
    assert.deepEqual(firing.body.commonLabels, { alertname: 'VigilTestInstanceDown', severity: 'critical', job: 'node' });
    assert.deepEqual(firing.body.commonAnnotations, { runbook_url: 'https://runbooks.example.com/instance-down' });
    assert.match(firing.body.externalURL, /^http:\/\/[^/]+:\d+$/);
    assert.equal(firing.body.alerts.length, 2);
    for (const sent of firing.body.alerts) {
      assert.equal(sent.status, 'firing');
      assert.equal(sent.endsAt, ZERO_TIME, 'a firing alert carries the zero time as endsAt');
      assert.equal(sent.startsAt, goTime(startsAt));
      assert.equal(sent.generatorURL, GENERATOR_URL);
      assert.match(sent.fingerprint, /^[0-9a-f]{16}$/);
    }
    const firingByInstance = new Map(firing.body.alerts.map((x) => [x.labels.instance, x]));
    assert.deepEqual([...firingByInstance.keys()].sort(), [a.labels.instance, b.labels.instance]);
    const fpA = firingByInstance.get(a.labels.instance!)!.fingerprint;
    const fpB = firingByInstance.get(b.labels.instance!)!.fingerprint;
    assert.notEqual(fpA, fpB);

    // In the past, and after startsAt (Alertmanager refuses an alert that ends before it starts).
    const endsAt = new Date(Math.max(Date.now() - 1_000, Date.parse(startsAt) + 1)).toISOString();
    const postedResolved = Date.now();
    await am.post([{ ...a, endsAt }]);
    const resolved = await waitFor('the notification with the resolved alert', 10_000, () => deliveries.find((d) => d.body.alerts.some((x) => x.status === 'resolved')), am);
    t.diagnostic(`resolved notification arrived ${resolved.at - postedResolved} ms after the post (group_interval 1s)`);

    assert.equal(resolved.body.version, '4');
    assert.equal(resolved.body.groupKey, firing.body.groupKey, 'the same group');
    assert.equal(resolved.body.receiver, 'vigil\\.webhook');
    assert.equal(resolved.body.status, 'firing', 'the group still has a firing alert');
    assert.equal(resolved.body.alerts.length, 2, 'the notification lists the whole group');
    const resolvedByFp = new Map(resolved.body.alerts.map((x) => [x.fingerprint, x]));
    assert.deepEqual([...resolvedByFp.keys()].sort(), [fpA, fpB].sort(), 'fingerprints are stable between firing and resolved');
    const nowResolved = resolvedByFp.get(fpA)!;
    assert.equal(nowResolved.status, 'resolved');
    assert.equal(nowResolved.labels.instance, a.labels.instance);
    assert.equal(nowResolved.endsAt, goTime(endsAt), 'the resolved alert carries the endsAt it was posted with');
    assert.equal(nowResolved.startsAt, firingByInstance.get(a.labels.instance!)!.startsAt);
    const stillFiring = resolvedByFp.get(fpB)!;
    assert.equal(stillFiring.status, 'firing');
    assert.equal(stillFiring.endsAt, ZERO_TIME);

    assert.equal(deliveries.indexOf(resolved), 1, 'nothing was sent between the two notifications');

    if (process.env.VIGIL_WRITE_ALERTMANAGER_FIXTURES) {
      mkdirSync(FIXTURES, { recursive: true });
      writeFileSync(join(FIXTURES, 'am-0.25-firing-captured.json'), asFixture(firing.body));
      writeFileSync(join(FIXTURES, 'am-0.25-resolved-captured.json'), asFixture(resolved.body));
      t.diagnostic(`wrote the captured bodies to ${FIXTURES}`);
    }
  });
});
