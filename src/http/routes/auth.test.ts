import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness, PASSWORD } from '../testing/harness.ts';

const cookieOf = (res: { headers: Record<string, unknown> }): string => {
  const raw = res.headers['set-cookie'];
  const line = (Array.isArray(raw) ? raw[0] : raw) as string;
  return line.split(';')[0]!;
};

eachDatabase('sessions and profile', (kind) => {
  let h: Harness;
  before(async () => {
    h = await createHarness(kind);
  });
  after(() => h.close());

  const login = (email: string, password: string) => h.request('POST', '/api/v1/auth/login', { body: { email, password } });

  it('signs in with a secure, HttpOnly, SameSite session cookie that authenticates /me', async () => {
    const res = await login('Responder@Example.com', PASSWORD);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().user.email, 'responder@example.com');
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /vigil_session=/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    const me = await h.request('GET', '/api/v1/me', { headers: { cookie: cookieOf(res) } });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.role, 'responder');
    assert.equal(me.json().via, 'session');
  });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const wrong = await login('responder@example.com', 'not the password!');
    const unknown = await login('nobody@example.com', PASSWORD);
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.equal(errorOf(wrong).message, errorOf(unknown).message);
  });

  it('ends the session on logout, and expires it after its lifetime', async () => {
    const a = cookieOf(await login('observer@example.com', PASSWORD));
    assert.equal((await h.request('POST', '/api/v1/auth/logout', { headers: { cookie: a } })).statusCode, 204);
    assert.equal((await h.request('GET', '/api/v1/me', { headers: { cookie: a } })).statusCode, 401);

    const b = cookieOf(await login('observer@example.com', PASSWORD));
    h.clock.advance(23 * 3_600_000);
    assert.equal((await h.request('GET', '/api/v1/me', { headers: { cookie: b } })).statusCode, 200);
    h.clock.advance(2 * 3_600_000);
    const expired = await h.request('GET', '/api/v1/me', { headers: { cookie: b } });
    assert.equal(expired.statusCode, 401);
    assert.match(errorOf(expired).message, /expired/);
  });

  it('updates the profile and refuses an unknown time zone', async () => {
    const ok = await h.request('PATCH', '/api/v1/me', { token: h.tokens.observer, body: { name: 'Olive Observer', timeZone: 'Australia/Lord_Howe' } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().user.timeZone, 'Australia/Lord_Howe');
    const bad = await h.request('PATCH', '/api/v1/me', { token: h.tokens.observer, body: { timeZone: 'Mars/Olympus_Mons' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(errorOf(bad).details?.fields?.[0]?.field, 'body.timeZone');
  });

  it('changes the password only with the current one, and signs out the other sessions', async () => {
    const mine = cookieOf(await login('admin@example.com', PASSWORD));
    const other = cookieOf(await login('admin@example.com', PASSWORD));
    const wrong = await h.request('POST', '/api/v1/me/password', { headers: { cookie: mine }, body: { currentPassword: 'wrong password!!', newPassword: 'a brand new passphrase' } });
    assert.equal(wrong.statusCode, 400);
    const short = await h.request('POST', '/api/v1/me/password', { headers: { cookie: mine }, body: { currentPassword: PASSWORD, newPassword: 'short' } });
    assert.equal(errorOf(short).details?.fields?.[0]?.field, 'body.newPassword');
    const ok = await h.request('POST', '/api/v1/me/password', { headers: { cookie: mine }, body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' } });
    assert.equal(ok.statusCode, 204);
    assert.equal((await h.request('GET', '/api/v1/me', { headers: { cookie: mine } })).statusCode, 200);
    assert.equal((await h.request('GET', '/api/v1/me', { headers: { cookie: other } })).statusCode, 401);
    assert.equal((await login('admin@example.com', 'a brand new passphrase')).statusCode, 200);
    const viaToken = await h.request('POST', '/api/v1/me/password', { token: h.tokens.admin, body: { currentPassword: 'a brand new passphrase', newPassword: 'another passphrase' } });
    assert.equal(viaToken.statusCode, 403);
  });
});

eachDatabase('API tokens', (kind) => {
  let h: Harness;
  before(async () => {
    h = await createHarness(kind);
  });
  after(() => h.close());

  it('shows the secret once, lists only its prefix, and the secret authenticates', async () => {
    const res = await h.request('POST', '/api/v1/tokens', { token: h.tokens.responder, body: { name: 'ci', scope: 'write' } });
    assert.equal(res.statusCode, 201);
    const { token, secret } = res.json();
    assert.match(secret, /^vgl_[a-z0-9]{40}$/);
    assert.equal(token.prefix, secret.slice(0, 12));
    const list = await h.request('GET', '/api/v1/tokens', { token: h.tokens.responder });
    assert.ok(!list.body.includes(secret), 'the list never contains a secret');
    assert.ok(list.json().tokens.some((t: { id: string }) => t.id === token.id));
    const me = await h.request('GET', '/api/v1/me', { token: secret });
    assert.equal(me.json().via, 'token');
    const stored = await h.database.db.selectFrom('api_tokens').select('token_hash').where('id', '=', token.id).executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, secret);
    assert.match(stored.token_hash, /^[0-9a-f]{64}$/);
  });

  it('never grants more than the owner has', async () => {
    const res = await h.request('POST', '/api/v1/tokens', { token: h.tokens.responder, body: { name: 'escalate', scope: 'admin' } });
    assert.equal(res.statusCode, 403);
    assert.equal(errorOf(res).code, 'FORBIDDEN');
    const fromObserver = await h.request('POST', '/api/v1/tokens', { token: h.tokens.observer, body: { name: 'w', scope: 'write' } });
    assert.equal(fromObserver.statusCode, 403);
    const badScope = await h.request('POST', '/api/v1/tokens', { token: h.tokens.admin, body: { name: 'x', scope: 'root' } });
    assert.equal(badScope.statusCode, 400);
    assert.equal(errorOf(badScope).details?.fields?.[0]?.field, 'body.scope');
  });

  it('stops working at once when revoked, and when expired', async () => {
    const { token, secret } = (await h.request('POST', '/api/v1/tokens', { token: h.tokens.admin, body: { name: 'short-lived', scope: 'read', expiresInDays: 1 } })).json();
    assert.equal((await h.request('GET', '/api/v1/services', { token: secret })).statusCode, 200);
    h.clock.advance(86_400_000 + 1);
    assert.equal((await h.request('GET', '/api/v1/services', { token: secret })).statusCode, 401);
    const listed = (await h.request('GET', '/api/v1/tokens', { token: h.tokens.admin })).json().tokens;
    assert.ok(!listed.some((t: { id: string }) => t.id === token.id), 'an expired token is not listed as live');

    const other = (await h.request('POST', '/api/v1/tokens', { token: h.tokens.responder, body: { name: 'revoke-me', scope: 'read' } })).json();
    const byObserver = await h.request('DELETE', `/api/v1/tokens/${other.token.id}`, { token: h.tokens.observer });
    assert.equal(byObserver.statusCode, 404, "someone else's token is not found for a non-admin");
    assert.equal((await h.request('DELETE', `/api/v1/tokens/${other.token.id}`, { token: h.tokens.responder })).statusCode, 204);
    assert.equal((await h.request('GET', '/api/v1/services', { token: other.secret })).statusCode, 401);
    assert.ok(token.id);
  });
});

eachDatabase('users, teams and audit', (kind) => {
  let h: Harness;
  before(async () => {
    h = await createHarness(kind);
  });
  after(() => h.close());

  it('lets admins create users with a hashed password; others are refused', async () => {
    const res = await h.request('POST', '/api/v1/users', { token: h.tokens.admin, body: { email: 'New.Person@Example.com', name: 'New Person', role: 'responder', timeZone: 'Asia/Kolkata', password: 'a long enough password' } });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().user.email, 'new.person@example.com');
    assert.equal(res.json().user.password_hash, undefined);
    const row = await h.database.db.selectFrom('users').select('password_hash').where('id', '=', res.json().user.id).executeTakeFirstOrThrow();
    assert.match(row.password_hash!, /^\$argon2id\$/);
    const dup = await h.request('POST', '/api/v1/users', { token: h.tokens.admin, body: { email: 'new.person@example.com', name: 'Again', role: 'observer' } });
    assert.equal(dup.statusCode, 409);
    const denied = await h.request('POST', '/api/v1/users', { token: h.tokens.responder, body: { email: 'x@example.com', name: 'X', role: 'admin' } });
    assert.equal(denied.statusCode, 403);
    const created = await h.request('POST', '/api/v1/users', { token: h.tokens.admin, body: { email: 'nopass@example.com', name: 'No Password', role: 'observer' } });
    const login = () => h.request('POST', '/api/v1/auth/login', { body: { email: 'nopass@example.com', password: 'set by the admin' } });
    assert.equal((await login()).statusCode, 401, 'no password yet');
    const byResponder = await h.request('POST', `/api/v1/users/${created.json().user.id}/password`, { token: h.tokens.responder, body: { password: 'set by the admin' } });
    assert.equal(byResponder.statusCode, 403);
    const set = await h.request('POST', `/api/v1/users/${created.json().user.id}/password`, { token: h.tokens.admin, body: { password: 'set by the admin' } });
    assert.equal(set.statusCode, 204);
    assert.equal((await login()).statusCode, 200);
    const list = await h.request('GET', '/api/v1/users', { token: h.tokens.observer });
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().users.length >= 4);
  });

  it('lets admins create teams, refuses others, and links services to teams', async () => {
    assert.equal((await h.request('POST', '/api/v1/teams', { token: h.tokens.observer, body: { name: 'Payments' } })).statusCode, 403);
    const team = await h.request('POST', '/api/v1/teams', { token: h.tokens.admin, body: { name: 'Payments', description: 'Money movement' } });
    assert.equal(team.statusCode, 201);
    const svc = await h.request('POST', '/api/v1/services', { token: h.tokens.responder, body: { name: 'Payouts', teamId: team.json().team.id } });
    assert.equal(svc.json().service.teamName, 'Payments');
    assert.equal((await h.request('GET', '/api/v1/teams', { token: h.tokens.observer })).json().teams.length, 1);
    const teamId = team.json().team.id;
    const add = (token: string, userId: string) => h.request('POST', `/api/v1/teams/${teamId}/members`, { token, body: { userId } });
    assert.equal((await add(h.tokens.responder, h.users.responder.id)).statusCode, 403);
    assert.equal((await add(h.tokens.admin, h.users.responder.id)).statusCode, 204);
    assert.equal((await add(h.tokens.admin, h.users.responder.id)).statusCode, 204, 'adding twice is not an error');
    assert.equal(errorOf(await add(h.tokens.admin, '00000000-0000-4000-8000-000000000000')).details?.fields?.[0]?.field, 'body.userId');
    const shown = (await h.request('GET', `/api/v1/teams/${teamId}`, { token: h.tokens.observer })).json();
    assert.deepEqual(shown.members.map((m: { email: string }) => m.email), ['responder@example.com']);
    assert.equal((await h.request('DELETE', `/api/v1/teams/${teamId}/members/${h.users.responder.id}`, { token: h.tokens.admin })).statusCode, 204);
    assert.equal((await h.request('DELETE', `/api/v1/teams/${teamId}/members/${h.users.responder.id}`, { token: h.tokens.admin })).statusCode, 404);
    const audit = (await h.request('GET', `/api/v1/audit?entityType=team&entityId=${teamId}`, { token: h.tokens.admin })).json();
    assert.deepEqual(audit.entries.map((e: { action: string }) => e.action), ['team.remove_member', 'team.add_member', 'team.create']);
  });

  it('keeps the audit log for admins only, newest first, paged', async () => {
    assert.equal((await h.request('GET', '/api/v1/audit', { token: h.tokens.responder })).statusCode, 403);
    const first = await h.request('GET', '/api/v1/audit?limit=2', { token: h.tokens.admin });
    assert.equal(first.statusCode, 200);
    const page = first.json();
    assert.equal(page.entries.length, 2);
    assert.ok(page.entries[0].id > page.entries[1].id);
    const next = (await h.request('GET', `/api/v1/audit?limit=2&before=${page.nextCursor}`, { token: h.tokens.admin })).json();
    assert.ok(next.entries[0].id < page.entries[1].id);
    const bad = await h.request('GET', '/api/v1/audit?limit=5000', { token: h.tokens.admin });
    assert.equal(errorOf(bad).details?.fields?.[0]?.field, 'query.limit');
  });
});

describe('HTTP surface', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness('pglite', { rateLimitPerMinute: 5 });
  });
  after(() => h.close());

  it('answers /healthz and /readyz without credentials', async () => {
    assert.deepEqual((await h.request('GET', '/healthz')).json(), { status: 'ok' });
    const ready = await h.request('GET', '/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json().checks, { database: 'ok', migrations: 'current', paging: 'ok' });
  });

  it('reports a stuck page in /readyz and in the metrics, without taking the node out of service', async () => {
    const now = h.clock.now();
    const { id: serviceId } = await h.database.db.insertInto('services').values({ name: 'Stuck', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const incident = (
      await sql<{ id: string; number: number }>`insert into incidents (service_id, title, status, urgency, alert_count, created_at, updated_at)
        values (${serviceId}, 'x', 'triggered', 'high', 1, ${now}, ${now}) returning id, number`.execute(h.database.db)
    ).rows[0]!;
    await sql`insert into escalations (incident_id, policy, next_run_at, created_at, updated_at) values (${incident.id}, '{}', ${now}, ${now}, ${now})`.execute(h.database.db);
    try {
      const ready = await h.request('GET', '/readyz');
      assert.equal(ready.statusCode, 200);
      assert.equal(ready.json().checks.paging, `stalled: incident #${incident.number} (no pending escalation step)`);
      const metrics = await h.request('GET', '/metrics', { token: h.tokens.observer });
      assert.match(metrics.body, /^vigil_paging_stalled_incidents 1$/m);
    } finally {
      await h.database.db.deleteFrom('services').where('id', '=', serviceId).execute();
    }
  });

  it('serves Prometheus metrics only to authenticated readers', async () => {
    assert.equal((await h.request('GET', '/metrics')).statusCode, 401);
    const res = await h.request('GET', '/metrics', { token: h.tokens.observer });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /vigil_http_requests_total/);
  });

  it('publishes an OpenAPI document naming every route family', async () => {
    const doc = (await h.request('GET', '/api/v1/openapi.json')).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/v1/services', '/api/v1/services/{id}/integration-keys/{keyId}/rotate', '/api/v1/tokens', '/api/v1/users', '/api/v1/audit', '/api/v1/auth/login']) {
      assert.ok(doc.paths[path], `missing ${path}`);
    }
    const docs = await h.request('GET', '/api/docs/');
    assert.equal(docs.statusCode, 200);
    // On plain http the docs page must not ask the browser to upgrade its assets to https.
    assert.match(String(docs.headers['content-security-policy']), /script-src 'self'/);
    assert.doesNotMatch(String(docs.headers['content-security-policy']), /upgrade-insecure-requests/);
  });

  it('echoes a request id and sets security headers', async () => {
    const res = await h.request('GET', '/healthz', { headers: { 'x-request-id': 'trace-123' } });
    assert.equal(res.headers['x-request-id'], 'trace-123');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.doesNotMatch(String(res.headers['content-security-policy']), /upgrade-insecure-requests/);
    const unknown = await h.request('GET', '/api/v1/nothing-here', { token: h.tokens.admin });
    assert.equal(unknown.statusCode, 404);
    assert.equal(errorOf(unknown).code, 'NOT_FOUND');
  });

  it('rate-limits with RateLimit-* and Retry-After headers and a RATE_LIMITED body', async () => {
    let res;
    for (let i = 0; i < 6; i++) res = await h.request('GET', '/api/v1/me', { token: h.tokens.observer });
    assert.equal(res!.statusCode, 429);
    assert.equal(errorOf(res!).code, 'RATE_LIMITED');
    assert.ok(res!.headers['retry-after']);
    assert.equal(res!.headers['ratelimit-limit'], '5');
    const other = await h.request('GET', '/api/v1/me', { token: h.tokens.admin });
    assert.equal(other.statusCode, 200, 'each token has its own budget');
  });
});
