import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type RunningServer, startServer } from '../server.ts';
import { assertOneLine, noFetch, vigil, vigilJson } from './testing/run-cli.ts';

// `vigil user contact …`, `vigil user rule …` and `vigil readiness` against a real server started
// in-process (as cli.test.ts does), with a webhook receiver in this process standing in for the
// person's pager bridge: the verification code is read from the POST it gets. The server has no
// SMTP, so email methods are refused. Each command also has a failure case with its exit code.

interface Verification {
  type: string;
  contactMethodId: string;
  code: string;
}

const DAY = 86_400_000;
const PASSWORD = 'a long enough password';

describe('vigil user contact, vigil user rule and vigil readiness against a running server', () => {
  let server: RunningServer;
  let receiver: Server;
  let hookUrl = '';
  const bodies: Verification[] = [];
  let dataDir: string;
  const adminToken = randomBytes(20).toString('hex');
  let admin: Record<string, string>;
  const env: Record<string, Record<string, string>> = {};
  const ids: Record<string, string> = {};

  async function api(method: string, path: string, body?: unknown, token = adminToken): Promise<any> {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  const json = <T>(who: Record<string, string>, args: string[]) => vigilJson<T>(who, args);

  /** The verification POST for a method, once the engine has sent it. */
  async function codeFor(methodId: string, nth = 1): Promise<string> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const sent = bodies.filter((b) => b.contactMethodId === methodId);
      if (sent.length >= nth) return sent[nth - 1]!.code;
      if (Date.now() > deadline) assert.fail(`no verification POST for ${methodId}; got ${JSON.stringify(bodies)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  before(async () => {
    receiver = createServer((request, response) => {
      let text = '';
      request.on('data', (d) => (text += d));
      request.on('end', () => {
        response.writeHead(204).end();
        try {
          bodies.push(JSON.parse(text) as Verification);
        } catch {
          // not JSON: not a verification
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/pager`;
    dataDir = await mkdtemp(join(tmpdir(), 'vigil-cli-contacts-'));
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
    admin = { VIGIL_URL: server.url, VIGIL_TOKEN: adminToken };
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
    const day0 = Math.floor(Date.now() / DAY) * DAY;
    await api('POST', '/schedules', {
      name: 'Primary',
      timeZone: 'UTC',
      layers: [
        {
          id: 'main',
          name: 'Main',
          participants: [ids.Ana!, ids.Ben!],
          rotation: { unit: 'day', length: 1 },
          handoff: { date: new Date(day0).toISOString().slice(0, 10), time: '00:00' },
          start: new Date(day0 - DAY).toISOString(),
        },
      ],
    });
  });

  after(async () => {
    await server?.close();
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('readiness: everyone on call this week, what is missing, and GET /readiness with --json', async () => {
    const r = await vigil(env.Carol!, ['readiness']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.match(lines[0]!, /^On call from \d{4}-\d\d-\d\d \d\d:\d\d UTC to \d{4}-\d\d-\d\d \d\d:\d\d UTC:$/);
    assert.match(lines[1]!, /^PERSON\s+FIRST SHIFT\s+SCHEDULES\s+HIGH\s+LOW\s+MISSING$/);
    const rows = lines.slice(2, 4).map((l) => l.split(/\s{2,}/));
    assert.deepEqual(rows.map((c) => [c[0], c[2], c[3], c[4]]).sort(), [['Ana', 'Primary', 'NO', 'NO'], ['Ben', 'Primary', 'NO', 'NO']]);
    assert.ok(rows.every((c) => c[5]!.startsWith('no contact method;')), r.out);
    assert.equal(lines[4], '2 of 2 would not be reached by a high-urgency page.');
    // The API's document; its window starts at the request, so only the people are compared exactly.
    const body = await json<{ from: string; to: string; people: { from: string }[] }>(env.Carol!, ['readiness']);
    const direct = await api('GET', '/readiness');
    assert.deepEqual(Object.keys(body), ['from', 'to', 'people']);
    assert.equal(Date.parse(body.to) - Date.parse(body.from), 7 * DAY);
    const noFrom = (people: { from: string }[]) => people.map(({ from: _from, ...rest }) => rest);
    assert.deepEqual(noFrom(body.people), noFrom(direct.people));
  });

  it('readiness without a token: exit 4, nothing sent', async () => {
    const r = await vigil({ VIGIL_URL: server.url }, ['readiness'], { fetch: noFetch });
    assert.equal(r.code, 4);
    assertOneLine(r.err, /no API token/);
  });

  it('contact add: a webhook method, not verified, and the code reaches the receiver', async () => {
    const r = await vigil(env.Ana!, ['user', 'contact', 'add', '--type', 'webhook', '--label', 'Pager bridge', '--address', hookUrl]);
    assert.equal(r.code, 0, r.err);
    const id = /^ID:\s+(\S+)$/m.exec(r.out)?.[1];
    assert.ok(id, r.out);
    ids.method = id;
    assert.match(r.out, /^Added contact method:\s+Pager bridge \(webhook\)$/m);
    assert.match(r.out, /^Status:\s+not verified: a code is on its way$/m);
    assert.match(r.out, new RegExp(`^Enter the code with: vigil user contact verify ${id} <code>$`, 'm'));
    assert.match(await codeFor(id), /^\d{6}$/);
    assert.equal(bodies.find((b) => b.contactMethodId === id)!.type, 'vigil.contact_verification');
  });

  it('contact add refuses email without SMTP and SMS without Twilio (PRECONDITION_FAILED, exit 1), a bad URL (VALIDATION, exit 1) and an unknown --type (exit 2)', async () => {
    const email = await vigil(env.Ana!, ['user', 'contact', 'add', '--type', 'email', '--label', 'Work', '--address', 'ana@example.com']);
    assert.equal(email.code, 1);
    assertOneLine(email.err, /^vigil: PRECONDITION_FAILED Email is not configured on this server: set VIGIL_SMTP_URL/);
    const bad = await vigil(env.Ana!, ['user', 'contact', 'add', '--type', 'webhook', '--label', 'Bad', '--address', 'ftp://example.com/']);
    assert.equal(bad.code, 1);
    assertOneLine(bad.err, /VALIDATION body\.address: must be an absolute http or https URL/);
    const sms = await vigil(env.Ana!, ['user', 'contact', 'add', '--type', 'sms', '--label', 'Phone', '--address', '+14155550123']);
    assert.equal(sms.code, 1);
    assertOneLine(sms.err, /^vigil: PRECONDITION_FAILED SMS and voice are not configured on this server: set VIGIL_TWILIO_ACCOUNT_SID/);
    const hook = await vigil(env.Ana!, ['user', 'contact', 'add', '--type', 'teams', '--label', 'Teams', '--address', 'http://teams.example.com/x']);
    assert.equal(hook.code, 1);
    assertOneLine(hook.err, /VALIDATION body\.address: must be an absolute https URL/);
    const usage = await vigil(env.Ana!, ['user', 'contact', 'add', '--type', 'pager', '--label', 'Phone', '--address', '+1555'], { fetch: noFetch });
    assert.equal(usage.code, 2);
    assertOneLine(usage.err, /--type.*pager.*(invalid|choices)/i);
  });

  it('contact send-code within the minute: RATE_LIMITED, exit 1', async () => {
    const r = await vigil(env.Ana!, ['user', 'contact', 'send-code', ids.method!]);
    assert.equal(r.code, 1);
    assertOneLine(r.err, /^vigil: RATE_LIMITED A code was sent less than 60 seconds ago/);
    assert.equal(bodies.filter((b) => b.contactMethodId === ids.method).length, 1, 'no second code');
  });

  it('contact send-code: the 202 is printed as a line, or as {"contactMethodId","codeSent"} with --json (a stand-in server: the real one waits a minute)', async () => {
    const seen: string[] = [];
    const accepted: typeof fetch = async (input, init) => {
      seen.push(`${init?.method} ${String(input)}`);
      return new Response(null, { status: 202 });
    };
    const text = await vigil(env.Ana!, ['user', 'contact', 'send-code', ids.method!], { fetch: accepted });
    assert.equal(text.code, 0, text.err);
    assert.equal(text.out, `A new code is on its way to contact method ${ids.method}.\n`);
    const body = await vigil(env.Ana!, ['user', 'contact', 'send-code', ids.method!, '--json'], { fetch: accepted });
    assert.deepEqual(JSON.parse(body.out), { contactMethodId: ids.method, codeSent: true });
    assert.deepEqual(seen, Array(2).fill(`POST ${server.url}/api/v1/users/me/contact-methods/${ids.method}/send-code`));
  });

  it('contact verify: a wrong code says how many attempts are left (VALIDATION, exit 1); the right one verifies', async () => {
    const code = await codeFor(ids.method!);
    const wrong = await vigil(env.Ana!, ['user', 'contact', 'verify', ids.method!, code === '000000' ? '111111' : '000000']);
    assert.equal(wrong.code, 1);
    assertOneLine(wrong.err, /^vigil: VALIDATION body\.code: is not the code that was sent \(4 attempts left\)/);
    const notId = await vigil(env.Ana!, ['user', 'contact', 'verify', 'pager', code], { fetch: noFetch });
    assert.equal(notId.code, 2, 'a method id must be a UUID');
    const ok = await vigil(env.Ana!, ['user', 'contact', 'verify', ids.method!, code]);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(ok.out, `Verified contact method Pager bridge (${ids.method}): it can be paged now.\n`);
    const again = await json<{ contactMethod: { id: string; verified: boolean } }>(env.Ana!, ['user', 'contact', 'verify', ids.method!, code]);
    assert.deepEqual([again.contactMethod.id, again.contactMethod.verified], [ids.method, true], 'verifying a verified method is a no-op');
    const resend = await vigil(env.Ana!, ['user', 'contact', 'send-code', ids.method!]);
    assert.equal(resend.code, 1);
    assertOneLine(resend.err, /PRECONDITION_FAILED This contact method is verified already/);
  });

  it('rule add: by label, high urgency; the readiness changes; an out-of-range delay is VALIDATION (exit 1), a non-number exit 2', async () => {
    const tooLate = await vigil(env.Ana!, ['user', 'rule', 'add', '--method', 'Pager bridge', '--urgency', 'high', '--delay', '2000']);
    assert.equal(tooLate.code, 1);
    assertOneLine(tooLate.err, /VALIDATION body\.delayMinutes: must be a whole number of minutes from 0 to 1440/);
    const nan = await vigil(env.Ana!, ['user', 'rule', 'add', '--method', 'Pager bridge', '--urgency', 'high', '--delay', 'soon'], { fetch: noFetch });
    assert.equal(nan.code, 2);
    const unknown = await vigil(env.Ana!, ['user', 'rule', 'add', '--method', 'Phone', '--urgency', 'high']);
    assert.equal(unknown.code, 1);
    assertOneLine(unknown.err, /NOT_FOUND no contact method is labelled "Phone"/);

    const r = await vigil(env.Ana!, ['user', 'rule', 'add', '--method', 'pager BRIDGE', '--urgency', 'high']);
    assert.equal(r.code, 0, r.err);
    const m = /^Added notification rule (\S+): high urgency, Pager bridge after 0 minutes\.$/.exec(r.out.trimEnd());
    assert.ok(m, r.out);
    ids.rule = m[1]!;
    const low = await json<{ rule: { id: string; urgency: string; delayMinutes: number; contactMethodId: string } }>(env.Ana!, ['user', 'rule', 'add', '--method', ids.method!, '--urgency', 'low', '--delay', '5']);
    assert.deepEqual([low.rule.urgency, low.rule.delayMinutes, low.rule.contactMethodId], ['low', 5, ids.method]);
    ids.lowRule = low.rule.id;

    const report = await json<{ people: { user: { name: string }; readiness: { high: boolean; low: boolean } }[] }>(env.Ben!, ['readiness']);
    assert.deepEqual(report.people.map((p) => [p.user.name, p.readiness.high, p.readiness.low]).sort(), [['Ana', true, true], ['Ben', false, false]]);
    const text = await vigil(env.Ben!, ['readiness']);
    assert.match(text.out, /^1 of 2 would not be reached by a high-urgency page\.$/m);
    assert.doesNotMatch(text.out, /127\.0\.0\.1/, 'no addresses in the readiness report');
  });

  it('contact list: readiness, methods and rules as text, and GET /users/me/contacts with --json', async () => {
    const r = await vigil(env.Ana!, ['user', 'contact', 'list']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.equal(lines[0], 'High-urgency pages reach this person.');
    const methods = lines.slice(lines.indexOf('Contact methods:') + 2, lines.indexOf('Contact methods:') + 3).map((l) => l.split(/\s{2,}/));
    assert.deepEqual(methods.map((c) => [c[0], c[1], c[2], c[3]!.replace(/ \d{4}-.*/, ''), c[4]]), [[ids.method, 'webhook', 'Pager bridge', 'verified', hookUrl]]);
    const rules = lines.slice(lines.indexOf('Notification rules:') + 2).map((l) => l.split(/\s{2,}/));
    assert.deepEqual(rules, [[ids.rule, 'high', '0 min', 'Pager bridge'], [ids.lowRule, 'low', '5 min', 'Pager bridge']]);
    assert.deepEqual(await json(env.Ana!, ['user', 'contact', 'list']), await api('GET', '/users/me/contacts', undefined, env.Ana!.VIGIL_TOKEN));
    // An admin reads anyone's, by email.
    assert.deepEqual(await json(admin, ['user', 'contact', 'list', '--user', 'ana@example.com']), await api('GET', `/users/${ids.Ana}/contacts`));
  });

  it("contact list --user someone else's, as a non-admin: FORBIDDEN, exit 4", async () => {
    const r = await vigil(env.Ben!, ['user', 'contact', 'list', '--user', 'ana@example.com']);
    assert.equal(r.code, 4);
    assertOneLine(r.err, /^vigil: FORBIDDEN .*\(only an admin may manage someone else's contact methods\) \(request [^)]+\)$/m);
  });

  it('rule delete: removes it (the readiness follows); an unknown rule is NOT_FOUND, exit 1', async () => {
    const gone = await json<{ deleted: { ruleId: string } }>(env.Ana!, ['user', 'rule', 'delete', ids.rule!]);
    assert.deepEqual(gone, { deleted: { ruleId: ids.rule } });
    const { rules, readiness } = await api('GET', '/users/me/contacts', undefined, env.Ana!.VIGIL_TOKEN);
    assert.deepEqual(rules.map((x: { id: string }) => x.id), [ids.lowRule]);
    assert.equal(readiness.high, false);
    const again = await vigil(env.Ana!, ['user', 'rule', 'delete', ids.rule!]);
    assert.equal(again.code, 1);
    assertOneLine(again.err, /^vigil: NOT_FOUND/);
  });

  it('contact delete: an admin removes Ana\'s method and its rules with --user; a read token is FORBIDDEN (exit 4); twice is NOT_FOUND (exit 1)', async () => {
    const observer = await vigil(env.Carol!, ['user', 'contact', 'delete', ids.method!]);
    assert.equal(observer.code, 4, 'Carol has no such method, and a read token may not delete anyway');
    const r = await vigil(admin, ['user', 'contact', 'delete', ids.method!, '--user', 'ana@example.com']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `Deleted contact method ${ids.method} and its notification rules.\n`);
    const { methods, rules } = await api('GET', `/users/${ids.Ana}/contacts`);
    assert.deepEqual([methods, rules], [[], []]);
    const twice = await vigil(admin, ['user', 'contact', 'delete', ids.method!, '--user', ids.Ana!]);
    assert.equal(twice.code, 1);
    assertOneLine(twice.err, /^vigil: NOT_FOUND/);
  });
});
