/**
 * npm run bench:page — from an event's 202 to the page at a webhook receiver, and how late the
 * engine's timers fire with many escalation steps pending. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type ServerProcess, startServerProcess } from '../e2e/support/server-process.ts';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rates: { type: 'string', default: '10,100,1000' },
    pending: { type: 'string', default: '10000' },
    'drain-seconds': { type: 'string', default: '20' },
    postgres: { type: 'boolean', default: false },
    'postgres-url': { type: 'string' },
    'no-embedded': { type: 'boolean', default: false },
  },
});
const SECONDS = Number(flags.seconds);
const RATES = flags.rates!.split(',').map(Number);
const PENDING = Number(flags.pending);
/** How long after the last send a rate's pages may still arrive before they count as missing. */
const DRAIN_MS = Number(flags['drain-seconds']) * 1000;
const TOKEN = `vgl_bench_${randomBytes(16).toString('hex')}`;

// ---- the receiver: every page's arrival time, by the alert summary it carries ------------------
interface Receiver {
  url: string;
  arrivals: Map<string, number>;
  codes: string[];
  close(): Promise<void>;
}
async function startReceiver(): Promise<Receiver> {
  const arrivals = new Map<string, number>();
  const codes: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const at = performance.now();
      res.writeHead(204).end();
      if (req.url === '/bare') return;
      const msg = JSON.parse(body) as { type: string; code?: string; incident?: { title: string } };
      if (msg.type === 'vigil.contact_verification') codes.push(msg.code!);
      else if (msg.type === 'vigil.page' && !arrivals.has(msg.incident!.title)) arrivals.set(msg.incident!.title, at);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    codes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : Number.NaN;
};
const fmt = (ms: number) => (Number.isFinite(ms) ? `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms` : 'n/a');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

// ---- Vigil: one service whose policy pages the admin's verified webhook at once --------------------
interface Vigil {
  url: string;
  server: ServerProcess;
  key: string;
}
async function startVigil(env: Record<string, string>, receiver: Receiver, levelDelayMinutes: number): Promise<Vigil> {
  const server = startServerProcess({ ...env, VIGIL_BOOTSTRAP_TOKEN: TOKEN, VIGIL_INGEST_RATE_LIMIT_PER_MINUTE: '10000000', VIGIL_RATE_LIMIT_PER_MINUTE: '1000000', VIGIL_HANDOFF_NOTICE_MINUTES: '0' });
  const url = await server.url;
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 || res.status === 202 ? null : await res.json()) as T;
  };
  const me = await api<{ user?: { id: string }; id?: string }>('GET', '/me');
  const userId = me.user?.id ?? me.id!;
  const { contactMethod } = await api<{ contactMethod: { id: string } }>('POST', '/users/me/contact-methods', { type: 'webhook', label: 'bench', address: `${receiver.url}/page` });
  for (let i = 0; i < 200 && receiver.codes.length === 0; i++) await sleep(25);
  if (!receiver.codes.length) throw new Error('no verification code arrived');
  await api('POST', `/users/me/contact-methods/${contactMethod.id}/verify`, { code: receiver.codes.shift() });
  await api('POST', '/users/me/notification-rules', { contactMethodId: contactMethod.id, urgency: 'high', delayMinutes: 0 });
  const target = { type: 'user', id: userId };
  const { policy } = await api<{ policy: { id: string } }>('POST', '/escalation-policies', {
    name: 'bench',
    levels: [
      { delayMinutes: levelDelayMinutes, targets: [target] },
      { delayMinutes: 1, targets: [target] },
    ],
  });
  const { service } = await api<{ service: { id: string; integrationKeys: { key: string }[] } }>('POST', '/services', { name: 'bench' });
  await api('PUT', `/services/${service.id}/escalation-policy`, { policyId: policy.id });
  return { url, server, key: service.integrationKeys[0]!.key };
}

const trigger = (key: string, summary: string) => ({ routing_key: key, event_action: 'trigger', dedup_key: summary, payload: { summary, source: 'bench', severity: 'critical' } });

/** Sends `rate` events a second for SECONDS, each a new incident; the latency is 202 → page. */
async function pageLatency(vigil: Vigil, receiver: Receiver, rate: number, tag: string) {
  const acceptedAt = new Map<string, number>();
  let errors = 0;
  const total = Math.round(rate * SECONDS);
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const summary = `${tag}-${i}`;
    sends.push(
      post(`${vigil.url}/v2/enqueue`, trigger(vigil.key, summary)).then(
        (r) => (r.status === 202 ? void acceptedAt.set(summary, performance.now()) : void errors++),
        () => void errors++,
      ),
    );
  }
  await Promise.all(sends);
  const sentSeconds = (performance.now() - started) / 1000;
  const drainUntil = performance.now() + DRAIN_MS;
  while (performance.now() < drainUntil && [...acceptedAt.keys()].some((k) => !receiver.arrivals.has(k))) await sleep(25);
  const latencies = [...acceptedAt].flatMap(([k, at]) => (receiver.arrivals.has(k) ? [receiver.arrivals.get(k)! - at] : []));
  return { rate, offered: total, sentRate: total / sentSeconds, accepted: acceptedAt.size, paged: latencies.length, errors, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), max: Math.max(...latencies) };
}

/**
 * PENDING incidents whose second level is due a minute after the first: how late does each
 * second step run? Their alerts are warnings (low urgency) and the admin is paged only on high
 * urgency, so each step runs in full (targets, rules, notification rows, next step) but sends
 * nothing: this measures the timers, not the receiver. Lateness is the step's own record
 * (`steps[].at` of the delivery log) against the first step's time plus the level's delay.
 */
async function timerLateness(vigil: Vigil) {
  const batch = 100;
  const started = performance.now();
  for (let i = 0; i < PENDING; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, PENDING - i) }, async (_, j) => {
        const r = await post(`${vigil.url}/v2/enqueue`, { ...trigger(vigil.key, `late-${i + j}`), payload: { summary: `late-${i + j}`, source: 'bench', severity: 'warning' } });
        if (r.status !== 202) throw new Error(`trigger: ${r.status} ${r.text}`);
      }),
    );
  }
  const openedSeconds = (performance.now() - started) / 1000;
  type Log = { escalation: { steps: { at: string; level: number | null }[] } | null };
  const log = async (n: number) =>
    (await (await fetch(`${vigil.url}/api/v1/incidents/${n}/notifications`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as Log;
  const at = (l: Log, level: number) => l.escalation?.steps.find((s) => s.level === level)?.at;
  // Incidents are numbered 1..PENDING on this fresh database: sample 1,000 evenly.
  const every = Math.max(1, Math.floor(PENDING / 1000));
  const waiting = new Set<number>();
  for (let n = 1; n <= PENDING; n += every) waiting.add(n);
  waiting.add(PENDING);
  const late: number[] = [];
  const deadline = performance.now() + 60_000 + 60_000;
  // The last incident's second step comes due last; poll it, then read the samples.
  while (performance.now() < deadline && !at(await log(PENDING), 1)) await sleep(250);
  // At least one pass, so a saturated run still reports the steps that did run.
  for (let pass = 0; waiting.size && (pass === 0 || performance.now() < deadline); pass++) {
    for (const n of [...waiting]) {
      const l = await log(n);
      const first = at(l, 0);
      const second = at(l, 1);
      if (first && second) {
        late.push(Date.parse(second) - (Date.parse(first) + 60_000));
        waiting.delete(n);
      }
    }
    if (waiting.size) await sleep(250);
  }
  return { pending: PENDING, openedSeconds, sampled: late.length, missing: waiting.size, p50: pct(late, 0.5), p99: pct(late, 0.99), max: Math.max(...late) };
}

async function bareRoundTrip(receiver: Receiver) {
  const xs: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    await post(`${receiver.url}/bare`, { i });
    xs.push(performance.now() - t);
  }
  return { p50: pct(xs, 0.5), p99: pct(xs, 0.99) };
}

async function run(label: string, freshEnv: () => Promise<Record<string, string>>) {
  console.log(`\n== ${label} ==`);
  const receiver = await startReceiver();
  const vigil = await startVigil(await freshEnv(), receiver, 1);
  try {
    const bare = await bareRoundTrip(receiver);
    console.log(`  reference: bare HTTP POST to the receiver, p50 ${fmt(bare.p50)}, p99 ${fmt(bare.p99)}`);
    await pageLatency(vigil, receiver, 50, `warm-${label}`);
    const rows = [];
    for (const rate of RATES) {
      const r = await pageLatency(vigil, receiver, rate, `r${rate}-${label}`);
      rows.push(r);
      console.log(
        `  ${rate}/s offered (${r.sentRate.toFixed(0)}/s sent): ${r.paged}/${r.accepted} paged, errors ${r.errors}; 202 → page p50 ${fmt(r.p50)}, p99 ${fmt(r.p99)}, max ${fmt(r.max)}; ` +
          `p99 vs bare round trip ${(r.p99 / bare.p99).toFixed(1)}×`,
      );
      if (r.paged !== r.offered || r.errors) {
        console.error(`  FAIL: ${r.offered - r.paged} of ${r.offered} events were not paged within ${DRAIN_MS / 1000} s of the last send (saturated)`);
        process.exitCode = 1;
      }
    }
    await vigil.server.stop();
    const lateReceiver = await startReceiver();
    const timed = await startVigil(await freshEnv(), lateReceiver, 1);
    try {
      const t = await timerLateness(timed);
      console.log(`  ${t.pending} escalations opened in ${t.openedSeconds.toFixed(0)} s, each with its next step pending a minute later; step lateness (${t.sampled} sampled) p50 ${fmt(t.p50)}, p99 ${fmt(t.p99)}, max ${fmt(t.max)}`);
      if (t.missing) {
        console.error(`  FAIL: ${t.missing} sampled second steps had not run two minutes after the last incident opened`);
        process.exitCode = 1;
      }
      return { label, bare, rows, timers: t };
    } finally {
      await timed.server.stop();
      await lateReceiver.close();
    }
  } finally {
    await vigil.server.stop().catch(() => {});
    await receiver.close();
  }
}

const created: string[] = [];
let adminUrl: string | undefined;
async function freshDatabase(): Promise<string> {
  const name = `vigil_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  created.push(name);
  const target = new URL(adminUrl!);
  target.pathname = `/${name}`;
  return target.toString();
}

async function main() {
  console.log(`Paging benchmark, ${new Date().toISOString()}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`  ${SECONDS} s per rate (${RATES.join(', ')} events/s), each event a new incident on a service whose policy pages a verified webhook at once; then ${PENDING} escalations waiting a minute for their second step`);
  const results = [];
  const dirs: string[] = [];
  try {
    if (!flags['no-embedded']) {
      results.push(
        await run('embedded PGlite', async () => {
          const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-page-'));
          dirs.push(dir);
          return { VIGIL_DATA_DIR: dir };
        }),
      );
    }
    adminUrl = flags['postgres-url'] ?? (flags.postgres || process.env.VIGIL_TEST_DATABASE_URL ? process.env.VIGIL_TEST_DATABASE_URL : undefined);
    if (adminUrl) results.push(await run('PostgreSQL', async () => ({ VIGIL_DATABASE_URL: await freshDatabase() })));
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    if (adminUrl && created.length) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      for (const name of created) await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
    agent.destroy();
  }
  console.log('\n| database | rate | 202 → page p50 | p99 | p99 vs bare round trip | timers pending | lateness p50 | p99 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    for (const row of r.rows) console.log(`| ${r.label} | ${row.rate}/s | ${fmt(row.p50)} | ${fmt(row.p99)} | ${(row.p99 / r.bare.p99).toFixed(1)}× | ${r.timers.pending} | ${fmt(r.timers.p50)} | ${fmt(r.timers.p99)} |`);
  }
}

await main();
