import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningServer, startServer } from '../server.ts';
import { assertOneLine, vigil, vigilJson } from './testing/run-cli.ts';

// `vigil incident list|show|ack|resolve|escalate` and `vigil policy list|show` against a real
// server started in-process (as cli.test.ts does). Incidents are opened through the generic
// ingestion endpoint; nobody has a contact method, so every page is recorded as unreachable.
// Each command also has a failure case with its exit code.

const PASSWORD = 'a long enough password';

describe('vigil incident and vigil policy against a running server', () => {
  let server: RunningServer;
  let dataDir: string;
  const adminToken = randomBytes(20).toString('hex');
  const env: Record<string, Record<string, string>> = {};
  const ids: Record<string, string> = {};
  let integrationKey = '';

  async function api(method: string, path: string, body?: unknown, token = adminToken): Promise<any> {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  const json = <T>(who: Record<string, string>, args: string[]) => vigilJson<T>(who, args);

  /** A new incident through the integration endpoint; its number. */
  async function open(title: string): Promise<number> {
    const accepted = await api('POST', `/integrations/${integrationKey}/events`, { title, status: 'firing', dedup_key: title, severity: 'critical' }, '');
    const { alert } = await api('GET', `/alerts/${accepted.alertNumber}`);
    return alert.incidentNumber as number;
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vigil-cli-incidents-'));
    server = await startServer({
      env: {
        VIGIL_DATA_DIR: dataDir,
        VIGIL_PORT: '0',
        VIGIL_HOST: '127.0.0.1',
        VIGIL_LOG_LEVEL: 'silent',
        VIGIL_BOOTSTRAP_TOKEN: adminToken,
        VIGIL_ADMIN_EMAIL: 'cli-admin@example.com',
        VIGIL_ADMIN_PASSWORD: 'correct horse battery staple',
      },
    });
    for (const [name, role, scope] of [
      ['Ana', 'responder', 'write'],
      ['Ben', 'responder', 'write'],
      ['Carol', 'observer', 'read'],
    ] as const) {
      const email = `${name.toLowerCase()}@example.com`;
      ids[name] = (await api('POST', '/users', { email, name, role, timeZone: 'UTC', password: PASSWORD })).user.id;
      const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      const created = await fetch(`${server.url}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: `${name} cli`, scope }) });
      assert.equal(created.status, 201);
      env[name] = { VIGIL_URL: server.url, VIGIL_TOKEN: ((await created.json()) as { secret: string }).secret };
    }
    const { service } = await api('POST', '/services', { name: 'Checkout' });
    integrationKey = service.integrationKeys[0].key;
    const { policy } = await api('POST', '/escalation-policies', {
      name: 'Checkout pager',
      repeat: 1,
      levels: [
        { delayMinutes: 30, targets: [{ type: 'user', id: ids.Ana }] },
        { delayMinutes: 30, targets: [{ type: 'user', id: ids.Ben }] },
      ],
    });
    ids.policy = policy.id;
    await api('PUT', `/services/${service.id}/escalation-policy`, { policyId: policy.id });
  });

  after(async () => {
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('lists incidents newest first as a table and as JSON; a bad --status is a usage error (exit 2)', async () => {
    const first = await open('Checkout is slow');
    const second = await open('Checkout is down');
    const r = await vigil(env.Carol!, ['incident', 'list']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^#\s+STATUS\s+URGENCY\s+SERVICE\s+ALERTS\s+AGE\s+TITLE$/m);
    assert.ok(r.out.indexOf(`${second} `) < r.out.indexOf(`${first} `), r.out);
    const page = await json<{ incidents: { number: number; status: string }[] }>(env.Carol!, ['incident', 'list', '--status', 'triggered']);
    assert.ok(page.incidents.some((i) => i.number === second));
    assert.ok(page.incidents.every((i) => i.status === 'triggered'));
    const bad = await vigil(env.Carol!, ['incident', 'list', '--status', 'sleeping']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /triggered, acknowledged, resolved/);
  });

  it('shows an incident with its alerts, escalation and pages; an unknown one is NOT_FOUND (exit 1)', async () => {
    const number = await open('Card payments failing');
    // The server's engine runs level 0 at once: Ana, who has no contact method (recorded as unreachable).
    const deadline = Date.now() + 10_000;
    let shown: { incident: { number: number }; alerts: unknown[]; deliveryLog: { escalation: { steps: unknown[] }; notifications: { status: string }[] } };
    do {
      shown = await json(env.Carol!, ['incident', 'show', `#${number}`]);
      if (shown.deliveryLog.escalation.steps.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } while (Date.now() < deadline);
    assert.equal(shown.incident.number, number);
    assert.equal(shown.alerts.length, 1);
    assert.deepEqual(shown.deliveryLog.notifications.map((n) => n.status), ['failed']);
    const text = await vigil(env.Carol!, ['incident', 'show', String(number)]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, new RegExp(`^Incident:\\s+#${number} Card payments failing$`, 'm'));
    assert.match(text.out, /^\s*policy Checkout pager \(version 1\)/m);
    assert.match(text.out, /^Pages \(1\):$/m);
    assert.match(text.out, /Ana .*failed .*unreachable/);
    const missing = await vigil(env.Carol!, ['incident', 'show', '999999']);
    assert.equal(missing.code, 1);
    assertOneLine(missing.err, /NOT_FOUND incident 999999 was not found/);
  });

  it('escalates to a level and escalates now; --level outside the policy is VALIDATION (exit 1), a bad --level a usage error (exit 2)', async () => {
    const number = await open('Refunds stuck');
    const to = await json<{ fired: { level: number; pass: number; userIds: string[] } }>(env.Ana!, ['incident', 'escalate', String(number), '--level', '1']);
    assert.deepEqual(to.fired, { level: 1, pass: 0, userIds: [ids.Ben] });
    const now = await vigil(env.Ana!, ['incident', 'escalate', String(number)]);
    assert.equal(now.code, 0, now.err);
    assert.match(now.out, new RegExp(`^Escalated incident #${number}: paged level 0 \\(pass 1\\): `, 'm'));
    const out = await vigil(env.Ana!, ['incident', 'escalate', String(number), '--level', '5']);
    assert.equal(out.code, 1);
    assertOneLine(out.err, /VALIDATION body\.level: no level 5/);
    const usage = await vigil(env.Ana!, ['incident', 'escalate', String(number), '--level', 'two']);
    assert.equal(usage.code, 2);
  });

  it('acknowledges an incident; an observer is refused (exit 4) and escalating it afterwards is PRECONDITION_FAILED (exit 1)', async () => {
    const number = await open('Search is down');
    const refused = await vigil(env.Carol!, ['incident', 'ack', String(number)]);
    assert.equal(refused.code, 4);
    assertOneLine(refused.err, /FORBIDDEN .*Acknowledging incidents needs a responder or admin/);
    const r = await vigil(env.Ana!, ['incident', 'ack', `#${number}`]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^Acknowledged incident #${number} Search is down \\(1 alert: #\\d+\\); it is now acknowledged\\.$`, 'm'));
    const again = await json<{ changed: unknown[]; incident: { status: string } }>(env.Ana!, ['incident', 'acknowledge', String(number)]);
    assert.deepEqual([again.changed.length, again.incident.status], [0, 'acknowledged']);
    const late = await vigil(env.Ana!, ['incident', 'escalate', String(number)]);
    assert.equal(late.code, 1);
    assertOneLine(late.err, /PRECONDITION_FAILED Incident #\d+ is acknowledged/);
  });

  it('reassigns an incident to a person by email and to a policy by name; neither or both is a usage error (exit 2)', async () => {
    const number = await open('Emails bouncing');
    await vigil(env.Ana!, ['incident', 'ack', String(number)]);
    const r = await vigil(env.Ana!, ['incident', 'reassign', String(number), '--user', 'ben@example.com']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^Reassigned incident #${number} to Ben; its escalation starts again at level 0 now\\.$`, 'm'));
    const log = await api('GET', `/incidents/${number}/notifications`);
    assert.deepEqual(log.escalation.steps.find((s: { restart?: unknown }) => s.restart).restart, { reason: 'reassigned', by: ids.Ana, to: 'Ben' });
    assert.equal((await api('GET', `/incidents/${number}`)).incident.status, 'triggered', 'the acknowledgement was Ana\'s; Ben has not acknowledged');
    const toPolicy = await json<{ escalation: { policy: { id: string }; restarts: number } }>(env.Ana!, ['incident', 'reassign', String(number), '--policy', 'checkout PAGER']);
    assert.deepEqual([toPolicy.escalation.policy.id, toPolicy.escalation.restarts], [ids.policy, 2]);
    const shown = await vigil(env.Carol!, ['incident', 'show', String(number)]);
    assert.match(shown.out, /reassigned to Ben by Ana/);
    for (const args of [[], ['--user', 'ben@example.com', '--policy', 'Checkout pager']]) {
      const usage = await vigil(env.Ana!, ['incident', 'reassign', String(number), ...args]);
      assert.equal(usage.code, 2, usage.err);
      assertOneLine(usage.err, /give either --user/);
    }
    const refused = await vigil(env.Carol!, ['incident', 'reassign', String(number), '--user', ids.Ben!]);
    assert.equal(refused.code, 4);
  });

  it('resolves an incident and all its alerts; acknowledging it then is PRECONDITION_FAILED (exit 1)', async () => {
    const number = await open('Inventory sync broken');
    const result = await json<{ incident: { status: string }; changed: { status: string }[] }>(env.Ben!, ['incident', 'resolve', String(number)]);
    assert.equal(result.incident.status, 'resolved');
    assert.deepEqual(result.changed.map((a) => a.status), ['resolved']);
    const log = await api('GET', `/incidents/${number}/notifications`);
    assert.equal(log.escalation.stopReason, 'resolved');
    const ack = await vigil(env.Ben!, ['incident', 'ack', String(number)]);
    assert.equal(ack.code, 1);
    assertOneLine(ack.err, /PRECONDITION_FAILED Incident #\d+ is resolved/);
  });

  it('lists policies and shows one by name with who would be paged now; an unknown name is NOT_FOUND (exit 1)', async () => {
    const list = await vigil(env.Carol!, ['policy', 'list']);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, new RegExp(`^${ids.policy}\\s+Checkout pager\\s+2\\s+1\\s+1\\s+Checkout$`, 'm'));
    const listed = await json<{ policies: { id: string }[] }>(env.Carol!, ['policy', 'list']);
    assert.deepEqual(listed.policies.map((p) => p.id), [ids.policy]);
    const shown = await vigil(env.Carol!, ['policy', 'show', 'checkout PAGER']);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /^Policy:\s+Checkout pager$/m);
    assert.match(shown.out, /^0\s+30m\s+all\s+user Ana\s+Ana$/m);
    assert.match(shown.out, /^1\s+30m\s+all\s+user Ben\s+Ben$/m);
    const body = await json<{ policy: { id: string }; preview: { levels: { users: { name: string }[] }[] } }>(env.Carol!, ['policy', 'show', ids.policy!]);
    assert.equal(body.policy.id, ids.policy);
    assert.deepEqual(body.preview.levels.map((l) => l.users.map((u) => u.name)), [['Ana'], ['Ben']]);
    const missing = await vigil(env.Carol!, ['policy', 'show', 'no such policy']);
    assert.equal(missing.code, 1);
    assertOneLine(missing.err, /NOT_FOUND no escalation policy is named "no such policy"/);
  });
});
