import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { applySignals, emptySignal } from '../../core/alerts/index.ts';
import { linkSecret } from '../../core/action-links/index.ts';
import type { OutboundMessage } from '../../core/contacts/index.ts';
import { createPolicy, escalationJobs, notifyJobs, type PageBody, setServicePolicy } from '../../core/escalation/index.ts';
import { createService } from '../../core/services/index.ts';
import { type Ctx, systemActor } from '../../core/shared/context.ts';
import { createEngine, type Engine } from '../../engine/index.ts';
import { memoryLogger } from '../../engine/testing/harness.ts';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createApp } from '../app.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// A title a sender chose: the pages must show it as text, never as markup.
const TITLE = 'Checkout <script>alert(1)</script> & "down"';

interface Sent {
  address: string;
  message: OutboundMessage;
  page: PageBody;
}

eachDatabase('one-click links in pages', (kind) => {
  let h: Harness;
  let engine: Engine;
  let sent: Sent[];
  let incident: { id: string; number: number };

  /** The page the responder (level 0) got, and the paths of its two links. */
  const firstPage = () => {
    const s = sent.find((p) => p.address.endsWith('/responder'));
    assert.ok(s, 'the responder was paged');
    return { ...s, ack: new URL(s.page.actions.acknowledge).pathname, resolve: new URL(s.page.actions.resolve).pathname };
  };
  const form = (path: string) => h.request('POST', path, { body: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const postJson = (path: string) => h.request('POST', path, { headers: { accept: 'application/json' } });
  const incidentRow = () => h.database.db.selectFrom('incidents').select(['status']).where('id', '=', incident.id).executeTakeFirstOrThrow();
  const escalation = () => h.database.db.selectFrom('escalations').select(['stopped_at', 'stop_reason']).where('incident_id', '=', incident.id).executeTakeFirstOrThrow();
  const assertPage = (res: LightMyRequestResponse, status: number, text: RegExp) => {
    assert.equal(res.statusCode, status, res.body);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(String(res.headers['content-security-policy']), /^default-src 'none'; style-src 'sha256-[^']+'; form-action 'self'; frame-ancestors 'none'/);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.doesNotMatch(res.body, /<script/i);
    assert.match(res.body, text);
  };

  beforeEach(async () => {
    h = await createHarness(kind);
    sent = [];
    const system: Ctx = { db: h.database.db, clock: h.clock, actor: systemActor('test') };
    const now = h.clock.now();
    // The responder is the primary (level 0), the admin the secondary (level 1), 5 minutes later.
    for (const role of ['responder', 'admin'] as const) {
      const m = await h.database.db
        .insertInto('contact_methods')
        .values({ user_id: h.users[role].id, type: 'webhook', label: 'Pager', address: `https://hooks.example.com/${role}`, verified_at: now, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await h.database.db.insertInto('notification_rules').values({ user_id: h.users[role].id, contact_method_id: m.id, urgency: 'high', delay_minutes: 0, created_at: now }).execute();
    }
    const service = await createService(system, { name: 'Checkout & Co' });
    const policy = await createPolicy(system, {
      name: 'Checkout',
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: h.users.responder.id }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: h.users.admin.id }] },
      ],
    });
    await setServicePolicy(system, service.id, policy.id);
    const record = async (address: string, message: OutboundMessage) => {
      sent.push({ address, message, page: message.body as unknown as PageBody });
    };
    engine = createEngine({
      database: h.database,
      clock: h.clock,
      handlers: [escalationJobs, notifyJobs({ email: record, webhook: record, slack: record, slack_webhook: record, teams: record, sms: record, voice: record }, { publicUrl: 'http://vigil.test/' })],
      logger: memoryLogger(),
      random: () => 0,
    });
    const [r] = await h.database.db.transaction().execute((tx) =>
      applySignals(tx, now, [{ target: { serviceId: service.id }, signal: { ...emptySignal('generic', 'trigger'), dedupKey: 'c', summary: TITLE, severity: 'critical' } }]),
    );
    incident = await h.database.db.selectFrom('incidents').select(['id', 'number']).where('id', '=', r!.incidentId!).executeTakeFirstOrThrow();
    await engine.drain();
  });
  afterEach(async () => {
    await engine.stop();
    await h.close();
  });

  it('puts an acknowledge and a resolve link, valid 24 hours, in the text and the body of the page', async () => {
    assert.equal(sent.length, 1);
    const p = firstPage();
    assert.match(p.page.actions.acknowledge, /^http:\/\/vigil\.test\/a\/[A-Za-z0-9_-]{72}\.[A-Za-z0-9_-]{43}$/);
    assert.match(p.page.actions.resolve, /^http:\/\/vigil\.test\/a\/[A-Za-z0-9_-]{72}\.[A-Za-z0-9_-]{43}$/);
    assert.notEqual(p.page.actions.acknowledge, p.page.actions.resolve);
    assert.equal(p.page.actions.expiresAt, new Date(h.clock.now().getTime() + 24 * HOUR).toISOString());
    assert.ok(p.message.text.includes(`\nAcknowledge: ${p.page.actions.acknowledge}\n`), p.message.text);
    assert.ok(p.message.text.includes(`\nResolve: ${p.page.actions.resolve}`), p.message.text);
    // The signing key stays in the database: one row, in no page.
    const secrets = await h.database.db.selectFrom('server_secrets').select(['name', 'value']).execute();
    assert.deepEqual(secrets.map((s) => s.name), ['action-links']);
    assert.ok(!JSON.stringify(p.message).includes(secrets[0]!.value));
    assert.ok(!JSON.stringify(p.message).includes(Buffer.from(secrets[0]!.value, 'base64').toString('base64url')));
  });

  it('confirms on GET without changing anything, acknowledges on POST as the person paged, stops the escalation, audits it, and says so on a replay', async () => {
    const p = firstPage();
    const get = await h.request('GET', p.ack);
    assertPage(get, 200, new RegExp(`<h1>Acknowledge incident #${incident.number} Checkout &lt;script&gt;alert\\(1\\)&lt;/script&gt; &amp; &quot;down&quot; on Checkout &amp; Co\\?</h1>`));
    assert.match(get.body, /Status now: <strong>triggered<\/strong>/);
    assert.match(get.body, /<form method="post"><button type="submit">Acknowledge #\d+<\/button><\/form>/);
    assert.match(get.body, /as The responder, who was paged/);
    assert.match(get.body, new RegExp(`href="http://vigil.test/incidents/${incident.number}"`));
    // A scanner fetching the link twice changes nothing.
    await h.request('GET', p.ack);
    assert.equal((await incidentRow()).status, 'triggered');
    assert.equal((await escalation()).stopped_at, null);

    const post = await form(p.ack);
    assertPage(post, 200, new RegExp(`<h1>Incident #${incident.number} .* acknowledged</h1>`));
    assert.match(post.body, /nobody else is paged/);
    assert.equal((await incidentRow()).status, 'acknowledged');
    assert.ok((await escalation()).stopped_at);

    const audit = await h.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'incident.acknowledge').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor_id, h.users.responder.id);
    assert.equal(audit[0]!.actor_type, 'user');
    const data = typeof audit[0]!.data === 'string' ? JSON.parse(audit[0]!.data) : audit[0]!.data;
    assert.equal(data.via, 'link');
    assert.equal(data.notificationId, p.page.notificationId);

    // The secondary is never paged: the escalation stopped as it does for the API.
    h.clock.advance(30 * MINUTE);
    await engine.drain();
    assert.deepEqual(sent.map((s) => s.address), ['https://hooks.example.com/responder']);

    const replay = await form(p.ack);
    assertPage(replay, 200, new RegExp(`<h1>Incident #${incident.number} .* was already acknowledged</h1>`));
    const json = await postJson(p.ack);
    assert.equal(json.statusCode, 200, json.body);
    assert.deepEqual(json.json(), { incident: { id: incident.id, number: incident.number, status: 'acknowledged' }, action: 'acknowledge', result: 'already' });
    assertPage(await h.request('GET', p.ack), 200, /is already acknowledged<\/h1>/);
    assert.equal((await h.database.db.selectFrom('audit_log').select('id').where('action', '=', 'incident.acknowledge').execute()).length, 1, 'a replay writes nothing');
  });

  it('resolves through the resolve link, answering JSON when asked', async () => {
    const p = firstPage();
    assertPage(await h.request('GET', p.resolve), 200, new RegExp(`<h1>Resolve incident #${incident.number} `));
    const res = await h.request('POST', p.resolve, { body: {}, headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { incident: { id: incident.id, number: incident.number, status: 'resolved' }, action: 'resolve', result: 'done' });
    assert.equal((await incidentRow()).status, 'resolved');
    assert.equal((await escalation()).stop_reason !== null, true);
    // The acknowledge link of the same page now has nothing to do.
    assert.deepEqual((await postJson(p.ack)).json().result, 'already');
    assertPage(await form(p.ack), 200, /was already resolved<\/h1>/);
    const tooBig = await h.request('POST', p.ack, { body: 'x'.repeat(2000), headers: { 'content-type': 'text/plain', accept: 'application/json' } });
    assert.equal(tooBig.statusCode, 413);
    assert.equal(errorOf(tooBig).code, 'PAYLOAD_TOO_LARGE');
  });

  it('refuses a link once its lifetime has passed with 410, pointing at the incident', async () => {
    const p = firstPage();
    h.clock.advance(24 * HOUR - 1000);
    assertPage(await h.request('GET', p.ack), 200, /<h1>Acknowledge incident/);
    h.clock.advance(1000);
    const get = await h.request('GET', p.ack);
    assertPage(get, 410, /<h1>This link has expired<\/h1>/);
    assert.match(get.body, new RegExp(`<a href="http://vigil.test/incidents/${incident.number}">Open incident #${incident.number} in Vigil</a>`));
    assertPage(await form(p.ack), 410, /This link has expired/);
    const json = await postJson(p.ack);
    assert.equal(json.statusCode, 410);
    const error = errorOf(json);
    assert.equal(error.code, 'EXPIRED');
    assert.deepEqual((error as { details?: unknown }).details, { expiresAt: p.page.actions.expiresAt, incident: { id: incident.id, number: incident.number } });
    assert.equal((await incidentRow()).status, 'triggered');
  });

  it('refuses an altered, foreign, truncated or oversized token with 400', async () => {
    const p = firstPage();
    const last = p.ack.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${p.ack.slice(0, -2)}${last}${p.ack.at(-1)}`;
    // The resolve link's payload with the acknowledge link's signature.
    const spliced = `${p.resolve.split('.')[0]}.${p.ack.split('.')[1]}`;
    for (const path of [tampered, spliced, p.ack.slice(0, -5), '/a/not-a-token', `/a/${'A'.repeat(300)}`]) {
      assertPage(await h.request('GET', path), 400, /<h1>This link is not valid<\/h1>/);
      assertPage(await form(path), 400, /This link is not valid/);
      const json = await postJson(path);
      assert.equal(json.statusCode, 400, path);
      assert.equal(errorOf(json).code, 'VALIDATION');
      assert.equal(errorOf(json).details?.fields?.[0]?.field, 'params.token');
    }
    assert.equal((await incidentRow()).status, 'triggered');
  });

  it('refuses with 403 when the person paged may no longer change incidents', async () => {
    const p = firstPage();
    await h.database.db.updateTable('users').set({ role: 'observer' }).where('id', '=', h.users.responder.id).execute();
    assertPage(await h.request('GET', p.ack), 403, /<h1>This link can no longer be used<\/h1>[\s\S]*The responder may no longer change incidents \(role observer\)/);
    assertPage(await form(p.ack), 403, /This link can no longer be used/);
    const json = await postJson(p.resolve);
    assert.equal(json.statusCode, 403);
    assert.equal(errorOf(json).code, 'FORBIDDEN');
    assert.equal((await incidentRow()).status, 'triggered');
    assert.equal((await escalation()).stopped_at, null);
  });

  it('keeps the token out of the request log', async () => {
    const lines: string[] = [];
    const logged = await createApp({
      database: h.database,
      clock: h.clock,
      version: 'test',
      config: { publicUrl: 'http://vigil.test', bodyLimitBytes: 64 * 1024, rateLimitPerMinute: 10_000, sessionTtlHours: 24, trustProxy: false },
      logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
    });
    try {
      const p = firstPage();
      assert.equal((await logged.inject({ method: 'GET', url: p.ack })).statusCode, 200);
      const token = p.ack.slice('/a/'.length);
      assert.ok(lines.some((l) => l.includes('"url":"/a/[token]"')), lines.join(''));
      assert.ok(!lines.some((l) => l.includes(token)), 'no log line has the token');
    } finally {
      await logged.close();
    }
  });

  it('keeps one signing key per database: the first one written wins and is reused', async () => {
    const first = await linkSecret(h.database.db, h.clock);
    const row = await h.database.db.selectFrom('server_secrets').select('value').executeTakeFirstOrThrow();
    assert.deepEqual(first, Buffer.from(row.value, 'base64'));
    assert.equal(first.length, 32);
    // Another handle on the same database (as another node would have) reads the stored key
    // instead of writing its own.
    const identity: KyselyPlugin = { transformQuery: (a) => a.node, transformResult: async (a) => a.result };
    const otherNode = h.database.db.withPlugin(identity);
    assert.notEqual(otherNode, h.database.db);
    assert.deepEqual(await linkSecret(otherNode, h.clock), first);
    assert.equal((await h.database.db.selectFrom('server_secrets').select('name').execute()).length, 1);
  });
});
