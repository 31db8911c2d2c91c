import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, it } from 'node:test';
import pg from 'pg';
import { findStalled } from '../src/core/escalation/index.ts';
import { openPostgres } from '../src/storage/open-database.ts';
import { POSTGRES_SKIP_REASON, postgresTestUrl } from '../src/storage/testing/test-database.ts';
import { type ServerProcess, startServerProcess } from './support/server-process.ts';

// The hardest proof: three real Vigil processes on one PostgreSQL database, hundreds of
// incidents, processes killed with SIGKILL and restarted at random while they page. Every expected
// page must reach the receiver, each distinct page exactly once by its Idempotency-Key; a raw
// repeat is only the documented at-least-once case (killed between the send and recording it).
const NODES = 3;
const INCIDENTS = 300;
const USERS = 3;
const KILLS = 4;
const CONCURRENCY = 4;
const LEASE_SECONDS = 6;
const TOKEN = `vgl_kill_${randomBytes(16).toString('hex')}`;

interface Receiver {
  url: string;
  /** Idempotency-Key → how many times it arrived, with the page's incident title and user. */
  pages: Map<string, { count: number; title: string; userId: string }>;
  codes: Map<string, string>;
  close(): Promise<void>;
}

/** The people's webhook: answers after a few ms, so kills land while sends are in flight. */
async function startReceiver(): Promise<Receiver> {
  const pages: Receiver['pages'] = new Map();
  const codes = new Map<string, string>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const msg = JSON.parse(body) as { type: string; code?: string; contactMethodId?: string; idempotencyKey?: string; incident?: { title: string } };
      if (msg.type === 'vigil.contact_verification') codes.set(msg.contactMethodId!, msg.code!);
      if (msg.type === 'vigil.page') {
        const key = String(req.headers['idempotency-key']);
        assert.equal(key, msg.idempotencyKey, 'the header and the body carry the same key');
        const seen = pages.get(key) ?? { count: 0, title: msg.incident!.title, userId: key.split(':')[3]! };
        seen.count++;
        pages.set(key, seen);
      }
      setTimeout(() => res.writeHead(204).end(), 2 + Math.random() * 15);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pages,
    codes,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** Polls `check` until it returns a value, or fails with `what` after `ms`. */
async function waitFor<T>(what: string, ms: number, check: () => Promise<T | undefined> | T | undefined, every = 50): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await delay(every);
  }
}

describe('three Vigil processes killed and restarted while paging [PostgreSQL]', { skip: postgresTestUrl() ? false : POSTGRES_SKIP_REASON }, () => {
  it(`pages every person of ${INCIDENTS} incidents exactly once per page through ${KILLS} SIGKILLs`, { timeout: 300_000 }, async () => {
    const adminUrl = postgresTestUrl()!;
    const dbName = `vigil_kill_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const target = new URL(adminUrl);
    target.pathname = `/${dbName}`;
    const databaseUrl = target.toString();

    const receiver = await startReceiver();
    const env = {
      VIGIL_DATABASE_URL: databaseUrl,
      VIGIL_BOOTSTRAP_TOKEN: TOKEN,
      VIGIL_ENGINE_CONCURRENCY: String(CONCURRENCY),
      VIGIL_DATABASE_POOL_SIZE: '8',
      VIGIL_ENGINE_LEASE_SECONDS: String(LEASE_SECONDS),
      VIGIL_INGEST_RATE_LIMIT_PER_MINUTE: '1000000',
      VIGIL_RATE_LIMIT_PER_MINUTE: '1000000',
      VIGIL_HANDOFF_NOTICE_MINUTES: '0',
    };
    const nodes: Array<{ process: ServerProcess; url: string | undefined }> = [];
    const start = async (i: number) => {
      const process = startServerProcess(env);
      const node = { process, url: undefined as string | undefined };
      nodes[i] = node;
      node.url = await process.url;
    };
    const t0 = performance.now();
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const database = await openPostgres({ url: databaseUrl, maxConnections: 2 });
    try {
      // The first node applies the migrations and bootstraps the token; the others join it.
      await start(0);
      await Promise.all(Array.from({ length: NODES - 1 }, (_, i) => start(i + 1)));
      const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
        const res = await fetch(`${nodes[0]!.url}/api/v1${path}`, {
          method,
          headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
        return (res.status === 204 ? null : await res.json()) as T;
      };

      // Three people, each with a webhook verified by the code it received, paged at once on high urgency.
      const me = await api<{ user?: { id: string }; id?: string }>('GET', '/me');
      const userIds = [me.user?.id ?? me.id!];
      for (let i = 1; i < USERS; i++) {
        const { user } = await api<{ user: { id: string } }>('POST', '/users', { email: `oncall${i}@example.com`, name: `On call ${i}`, role: 'responder' });
        userIds.push(user.id);
      }
      for (const userId of userIds) {
        const { contactMethod } = await api<{ contactMethod: { id: string } }>('POST', `/users/${userId}/contact-methods`, { type: 'webhook', label: 'pager', address: `${receiver.url}/page` });
        const code = await waitFor('a verification code', 30_000, () => receiver.codes.get(contactMethod.id));
        await api('POST', `/users/${userId}/contact-methods/${contactMethod.id}/verify`, { code });
        await api('POST', `/users/${userId}/notification-rules`, { contactMethodId: contactMethod.id, urgency: 'high', delayMinutes: 0 });
      }
      const { policy } = await api<{ policy: { id: string } }>('POST', '/escalation-policies', {
        name: 'everyone at once',
        levels: [{ delayMinutes: 30, targets: userIds.map((id) => ({ type: 'user', id })) }],
      });
      const { service } = await api<{ service: { id: string; integrationKeys: { key: string }[] } }>('POST', '/services', { name: 'kill test' });
      await api('PUT', `/services/${service.id}/escalation-policy`, { policyId: policy.id });
      const routingKey = service.integrationKeys[0]!.key;
      phase('set up');

      // Alerts spread over the nodes; a send that meets a dying node is retried on another, as a
      // real sender retries (the dedup key keeps it one incident).
      let retries = 0;
      const sendAlert = async (n: number) => {
        const body = JSON.stringify({ routing_key: routingKey, event_action: 'trigger', dedup_key: `kill-${n}`, payload: { summary: `kill-${n}`, source: 'kill-test', severity: 'critical' } });
        for (let attempt = 0; ; attempt++) {
          const live = nodes.filter((x) => x.url);
          const node = live[(n + attempt) % live.length];
          if (node) {
            const ok = await fetch(`${node.url}/v2/enqueue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5_000) }).then(
              (r) => r.status === 202,
              () => false,
            );
            if (ok) return;
          }
          retries++;
          if (attempt > 200) assert.fail(`alert kill-${n} was never accepted`);
          await delay(50);
        }
      };
      const sending = (async () => {
        for (let n = 0; n < INCIDENTS; n += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => sendAlert(n + j)));
      })();

      // Meanwhile: SIGKILL a random node, restart it, and again, while alerts arrive and pages go out.
      const killed: number[] = [];
      const restarts: Promise<void>[] = [];
      for (let k = 0; k < KILLS; k++) {
        // Wait until pages are flowing (or the previous node is back), then a random extra moment.
        // Not a condition of the test: on a slow machine the kill simply comes later or earlier.
        const flowing = performance.now() + 20_000;
        while (receiver.pages.size <= (k * INCIDENTS * USERS) / (KILLS + 2) && performance.now() < flowing) await delay(10);
        await delay(Math.random() * 400);
        // A node that is up (a restarting one has not claimed anything yet).
        const up = nodes.flatMap((n, i) => (n.url ? [i] : []));
        const victim = up[Math.floor(Math.random() * up.length)]!;
        const node = nodes[victim]!;
        node.url = undefined;
        await node.process.stop('SIGKILL');
        killed.push(victim);
        phase(`kill ${k + 1} (node ${victim}, ${receiver.pages.size} pages received)`);
        restarts.push(start(victim)); // comes back while the others carry on
      }
      await sending;
      phase('all alerts accepted');
      await Promise.all(restarts);
      phase('all nodes back');

      // Every notification row written ends sent (a dead node's jobs are taken over once their lease expires).
      const expected = INCIDENTS * USERS;
      const counts = await waitFor('every notification sent', 120_000, async () => {
        const rows = await database.db
          .selectFrom('notifications')
          .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
          .groupBy('status')
          .execute();
        const byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
        return byStatus.sent === expected && rows.length === 1 ? byStatus : undefined;
      }, 200);
      assert.deepEqual(counts, { sent: expected });
      phase('every notification sent');
      const incidents = await database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(incidents.n), INCIDENTS, 'one incident per dedup key, whichever node took the alert');

      // At the receiver: every (incident, person) paged, and exactly the expected distinct pages.
      await waitFor('the last delivery to be counted', 5_000, () => (receiver.pages.size >= expected ? true : undefined));
      const pairs = new Set([...receiver.pages.values()].map((p) => `${p.title}|${p.userId}`));
      const missing = [];
      for (let n = 0; n < INCIDENTS; n++) for (const userId of userIds) if (!pairs.has(`kill-${n}|${userId}`)) missing.push(`kill-${n}|${userId}`);
      assert.deepEqual(missing, [], 'no page missed');
      assert.equal(receiver.pages.size, expected, 'no page extra: distinct Idempotency-Keys equal the expected pages');
      const repeats = [...receiver.pages.values()].reduce((sum, p) => sum + p.count - 1, 0);
      console.log(`# ${KILLS} kills (nodes ${killed.join(', ')}), ${retries} alert re-sends, ${expected} pages, ${repeats} repeated at the wire (same Idempotency-Key twice)`);
      console.log(`# ${phases.join('; ')}`);
      assert.ok(repeats <= KILLS * CONCURRENCY, `raw repeats (${repeats}) only from sends cut off by a kill: at most kills × concurrency = ${KILLS * CONCURRENCY}`);

      // The auditor agrees: nothing is stuck.
      assert.deepEqual(await findStalled(database.db), []);
      const ready = (await (await fetch(`${nodes[0]!.url}/readyz`)).json()) as { checks: { paging: string } };
      assert.equal(ready.checks.paging, 'ok');
    } finally {
      await Promise.all(nodes.map((n) => n?.process.stop('SIGKILL')));
      await database.close();
      await receiver.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${dbName} with (force)`);
      await cleanup.end();
    }
  });
});
