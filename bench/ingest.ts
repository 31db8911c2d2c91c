// Ingestion benchmark. See bench/README.md for what it measures and the figures on record.
//
// Vigil: single-event PagerDuty-format `POST /v2/enqueue` requests into a real Vigil server (a
// child process; each request is answered 202 only after its group commit), half new dedup keys and
// half repeats, from a keep-alive node:http client in this process at a fixed concurrency.
// In the same run, with the same client, concurrency and event mix:
//   reference 1: a bare node:http server (another child process) that reads the body, answers 202;
//   reference 2: Prometheus Alertmanager 0.25 taking single-alert `POST /api/v2/alerts` (held in
//                memory, nothing committed), when its binary is installed.
// Before the ingestion run, the alert-list API with 10,000 open alerts (written with SQL while the
// server is stopped, or with --list-fill ingest through the Alertmanager endpoint): first page, a
// page half-way down by cursor, a filtered query, against GET /healthz of the same server; once as
// loaded and once after ANALYZE (PGlite never auto-analyzes, so its planner statistics stay stale).
// After the ingestion run the server is killed with SIGKILL and the database read directly:
// alerts = distinct keys sent, sum of counts = logged events = events answered 202.
//
// Usage: node bench/ingest.ts [--seconds 4 | --events N] [--concurrency 64] [--postgres]
//          [--postgres-url URL] [--no-embedded] [--no-alertmanager] [--list-alerts 10000]
//          [--list-samples 30] [--list-fill sql|ingest] [--log-level warn]
// PostgreSQL runs when --postgres is given or VIGIL_TEST_DATABASE_URL is set; the server is
// --postgres-url, else VIGIL_TEST_DATABASE_URL; the run uses a fresh database, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { alertmanagerBinary, DEBIAN_ALERTMANAGER, startAlertmanager } from '../e2e/support/alertmanager.ts';
import { NODE, type ServerProcess, startServerProcess } from '../e2e/support/server-process.ts';
import { type Database, openEmbedded, openPostgres } from '../src/storage/open-database.ts';

const { values: flags } = parseArgs({
  allowNegative: true,
  options: {
    seconds: { type: 'string' },
    events: { type: 'string' },
    concurrency: { type: 'string', default: '64' },
    postgres: { type: 'boolean', default: false },
    'postgres-url': { type: 'string' },
    embedded: { type: 'boolean', default: true },
    alertmanager: { type: 'boolean', default: true },
    'list-alerts': { type: 'string', default: '10000' },
    'list-samples': { type: 'string', default: '30' },
    'list-fill': { type: 'string', default: 'sql' },
    'log-level': { type: 'string', default: 'warn' },
    /** Internal: run the bare reference server (in a child process of its own). */
    'bare-server': { type: 'boolean', default: false },
  },
});

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

/** Either a number of events or a duration per target. */
interface Plan {
  events: number | undefined;
  seconds: number | undefined;
  concurrency: number;
}
const WARM_UP: Omit<Plan, 'concurrency'> = { events: 2000, seconds: 1 };

// ---- the load generator --------------------------------------------------------------------------
interface LoadResult {
  sent: number;
  ok: number;
  errors: Map<string, number>;
  errorSamples: string[];
  latencies: Float64Array;
  /** The longest time no answer arrived during the run (a stall shows here first). */
  longestPause: number;
  seconds: number;
}

/** One per target: the warm-up opens the connections the measured run then reuses, as a sender's would. */
const keepAliveAgent = (plan: Plan) => new http.Agent({ keepAlive: true, maxSockets: plan.concurrency });

/**
 * `concurrency` loops over keep-alive connections, each sending its next request when the previous
 * one is answered, until `events` were sent or `seconds` passed (whichever is set first). Request
 * i (0, 1, 2, … in the order sent) has the body body(i); an answer other than `expect` is an error.
 */
async function load(agent: http.Agent, base: string, path: string, plan: Plan, expect: number, body: (i: number) => string): Promise<LoadResult> {
  const url = new URL(base);
  const capacity = plan.events ?? 5_000_000;
  const latencies = new Float64Array(capacity);
  let lastAnswer = 0;
  let longestPause = 0;
  const errors = new Map<string, number>();
  const errorSamples: string[] = [];
  let next = 0;
  let ok = 0;
  let done = 0;
  const error = (kind: string, detail: string) => {
    errors.set(kind, (errors.get(kind) ?? 0) + 1);
    if (errorSamples.length < 5) errorSamples.push(`${kind}: ${detail.slice(0, 300)}`);
  };
  const send = (payload: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const start = performance.now();
  const deadline = plan.seconds === undefined ? Infinity : start + plan.seconds * 1000;
  const worker = async () => {
    while (next < capacity && performance.now() < deadline) {
      const i = next++;
      const payload = body(i);
      const t = performance.now();
      try {
        const res = await send(payload);
        if (res.status === expect) ok++;
        else error(`HTTP ${res.status}`, res.text);
      } catch (e) {
        error((e as NodeJS.ErrnoException).code ?? 'request failed', String(e));
      }
      const now = performance.now();
      latencies[i] = now - t;
      longestPause = Math.max(longestPause, now - (lastAnswer || start));
      lastAnswer = now;
      done++;
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  return { sent: done, ok, errors, errorSamples, latencies: latencies.subarray(0, done), longestPause, seconds };
}

const pct = (xs: ArrayLike<number>, q: number): number => {
  const s = Float64Array.from(xs).sort();
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

/** Even events carry a new key; odd ones repeat a key sent before (picked by a fixed hash of i). */
const keyIndex = (i: number): number => (i % 2 === 0 ? i / 2 : Math.floor((((i * 2654435761) >>> 0) / 2 ** 32) * ((i + 1) / 2)));
const distinctKeys = (events: number): number => Math.ceil(events / 2);

// ---- process figures -----------------------------------------------------------------------------
/** Resets the peak RSS of a process (Linux: clear_refs 5); false when not allowed. */
function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
/** The pid of the process whose arguments include `arg` (Alertmanager runs under a shell wrapper). */
function findPid(arg: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmd.includes(arg) && !cmd[0]!.endsWith('sh')) return Number(entry);
    } catch {}
  }
  return undefined;
}

// ---- results -------------------------------------------------------------------------------------
interface IngestRow {
  target: string;
  result: LoadResult;
  peakRss: number | undefined;
  check?: { text: string; ok: boolean };
}
interface ListRow {
  label: string;
  query: string;
  p50: number;
  p99: number;
  errors: number;
}
interface ListPhase {
  db: string;
  openAlerts: number;
  fill: string;
  fillSeconds: number;
  fillErrors: number;
  /** Right after the data was written, with the planner statistics the database had then. */
  asLoaded: ListRow[];
  analyzed: ListRow[];
}

const n = (x: number) => x.toLocaleString('en-US');
const fmtMs = (x: number) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms` : 'n/a');
const rate = (r: LoadResult) => r.ok / r.seconds;
const errorCount = (r: LoadResult) => [...r.errors.values()].reduce((a, b) => a + b, 0);
const load3 = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const redact = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

function describeRun(name: string, r: LoadResult, rss: number | undefined): void {
  console.log(
    `  ${name}: ${n(r.ok)}/${n(r.sent)} answered as expected in ${r.seconds.toFixed(2)} s → ${n(Math.round(rate(r)))}/s, ` +
      `p50 ${fmtMs(pct(r.latencies, 0.5))}, p99 ${fmtMs(pct(r.latencies, 0.99))}, max ${fmtMs(pct(r.latencies, 1))}, longest pause between answers ${fmtMs(r.longestPause)}` +
      `${rss === undefined ? '' : `, peak RSS ${rss.toFixed(0)} MB`}, errors ${errorCount(r)}`,
  );
  for (const [kind, count] of r.errors) console.log(`    ERRORS ${kind}: ${count}`);
  for (const s of r.errorSamples) console.log(`      e.g. ${s}`);
}

// ---- Vigil ---------------------------------------------------------------------------------------
interface Vigil {
  url: string;
  server: ServerProcess;
  api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; ms: number }>;
}
interface Service {
  id: string;
  key: string;
}

async function startVigil(env: Record<string, string>, token: string): Promise<Vigil> {
  const server = startServerProcess({
    ...env,
    VIGIL_BOOTSTRAP_TOKEN: token,
    VIGIL_LOG_LEVEL: flags['log-level']!,
    VIGIL_INGEST_RATE_LIMIT_PER_MINUTE: '10000000',
    VIGIL_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const url = await server.url;
  const api = async <T>(method: string, path: string, body?: unknown) => {
    const t = performance.now();
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const ms = performance.now() - t;
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed as T, ms };
  };
  return { url, server, api };
}

async function createService(vigil: Vigil, name: string): Promise<Service> {
  const res = await vigil.api<{ service: { id: string; integrationKeys: { key: string }[] } }>('POST', '/api/v1/services', { name });
  if (res.status !== 201) throw new Error(`creating service ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.service.id, key: res.body.service.integrationKeys[0]!.key };
}

const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
/** Alert i of the list data set: severity i % 4 on list service (i >> 2) % 4, so each (severity, service) pair holds 1/16. */
const listService = (i: number) => (i >> 2) % 4;

/**
 * The open alerts for the list queries, written straight into the database while the server is
 * stopped: an incident each (as ingestion does without grouping), one second apart, newest last.
 */
async function fillBySql(database: Database, services: Service[], total: number): Promise<void> {
  const ids = sql.join(services.map((s) => sql`${s.id}::uuid`));
  await database.db.transaction().execute(async (tx) => {
    await sql`
      create temporary table bench_src on commit drop as
      select g, (array[${ids}])[1 + ((g >> 2) % 4)] as service_id, (array['critical','error','warning','info'])[1 + g % 4] as severity,
             now() - make_interval(secs => ${total} - g) as at
      from generate_series(0, ${total - 1}) g`.execute(tx);
    await sql`
      insert into incidents (service_id, title, status, urgency, group_key, alert_count, created_at, updated_at)
      select service_id, 'host-' || g || ' needs attention', 'triggered', 'high', 'bench:' || g, 1, at, at from bench_src`.execute(tx);
    await sql`
      insert into alerts (service_id, incident_id, dedup_key, status, sender, summary, source, severity, urgency, labels, started_at, created_at, last_seen_at, updated_at)
      select s.service_id, i.id, 'bench-list-' || s.g, 'triggered', 'alertmanager', '[BenchListAlert] host-' || s.g || ' needs attention',
             'host-' || s.g || '.example:9100', s.severity, case when s.severity in ('critical', 'error') then 'high' else 'low' end,
             jsonb_build_object('alertname', 'BenchListAlert', 'instance', 'host-' || s.g || '.example:9100', 'severity', s.severity),
             s.at, s.at, s.at, s.at
      from bench_src s join incidents i on i.group_key = 'bench:' || s.g`.execute(tx);
    await sql`update incidents set group_key = null where group_key like 'bench:%'`.execute(tx);
  });
}

/** The same data set through the Alertmanager endpoint, 500 alerts a post; returns failed posts. */
async function fillByIngest(vigil: Vigil, services: Service[], total: number): Promise<number> {
  const BATCH = 500;
  let failed = 0;
  const startsAt = new Date().toISOString();
  // Batches go to one service each; within a batch every 4th alert has each severity.
  const byService = services.map((_, s) => Array.from({ length: total }, (_, i) => i).filter((i) => listService(i) === s));
  const posts = byService.flatMap((alerts, s) => Array.from({ length: Math.ceil(alerts.length / BATCH) }, (_, b) => ({ s, alerts: alerts.slice(b * BATCH, (b + 1) * BATCH) })));
  let next = 0;
  const poster = async () => {
    while (next < posts.length) {
      const { s, alerts } = posts[next++]!;
      const body = {
        version: '4',
        groupKey: '{}:{alertname="BenchListAlert"}',
        status: 'firing',
        receiver: 'vigil',
        groupLabels: { alertname: 'BenchListAlert' },
        commonLabels: { alertname: 'BenchListAlert' },
        commonAnnotations: {},
        externalURL: 'http://alertmanager.example:9093',
        alerts: alerts.map((i) => ({
          status: 'firing',
          labels: { alertname: 'BenchListAlert', instance: `host-${i}.example:9100`, severity: SEVERITIES[i % 4]! },
          annotations: { summary: `host-${i} needs attention` },
          startsAt,
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prometheus.example:9090/graph',
        })),
      };
      const res = await fetch(`${vigil.url}/integrations/alertmanager/${services[s]!.key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      const created = res.status === 200 ? ((JSON.parse(text) as { alerts: { decision: string }[] }).alerts.filter((a) => a.decision === 'created').length) : 0;
      if (created !== alerts.length) {
        failed++;
        console.log(`    ERROR filling the list data: a post answered ${res.status} with ${created}/${alerts.length} created: ${text.slice(0, 300)}`);
      }
    }
  };
  await Promise.all([poster(), poster()]);
  return failed;
}

async function countOpen(vigil: Vigil): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { alerts: unknown[]; nextCursor: string | null } } = await vigil.api('GET', `/api/v1/alerts?status=triggered&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    if (res.status !== 200) throw new Error(`counting open alerts: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    count += res.body.alerts.length;
    cursor = res.body.nextCursor;
  } while (cursor);
  return count;
}

async function listQueries(vigil: Vigil, services: Service[], total: number, samples: number): Promise<ListRow[]> {
  const deep = Math.floor(total / 2);
  // A cursor half-way down the list: walk there 200 at a time.
  let cursor: string | null = null;
  for (let seen = 0; seen < deep; ) {
    const res: { status: number; body: { alerts: unknown[]; nextCursor: string | null } } = await vigil.api('GET', `/api/v1/alerts?status=triggered&limit=${Math.min(200, deep - seen)}${cursor ? `&cursor=${cursor}` : ''}`);
    if (res.status !== 200 || !res.body.nextCursor) throw new Error(`walking to alert ${deep}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    cursor = res.body.nextCursor;
    seen += res.body.alerts.length;
  }
  const filtered = Math.min(50, Math.floor(total / 16));
  const queries = [
    { label: 'GET /healthz (reference)', path: '/healthz', expect: null },
    { label: 'open alerts, first page', path: '/api/v1/alerts?status=triggered&limit=50', expect: 50 },
    { label: `open alerts, page at ${n(deep)} by cursor`, path: `/api/v1/alerts?status=triggered&limit=50&cursor=${cursor}`, expect: 50 },
    { label: 'open, severity + service', path: `/api/v1/alerts?status=triggered&severity=warning&serviceId=${services[2]!.id}&limit=50`, expect: filtered },
  ];
  const rows: ListRow[] = [];
  for (const q of queries) {
    const times: number[] = [];
    let errors = 0;
    for (let i = 0; i < samples + 10; i++) {
      const res = await vigil.api<{ alerts?: unknown[] }>('GET', q.path);
      if (res.status !== 200 || (q.expect !== null && res.body.alerts?.length !== q.expect)) {
        errors++;
        if (errors <= 3) console.log(`    ERROR ${q.label}: ${res.status}, ${res.body.alerts?.length ?? 'no'} alerts: ${JSON.stringify(res.body).slice(0, 300)}`);
      }
      if (i >= 10) times.push(res.ms); // the first 10 warm up
    }
    const query = q.path.replace(/cursor=[^&]+/, 'cursor=…').replace(/serviceId=[^&]+/, 'serviceId=…');
    rows.push({ label: q.label, query, p50: pct(times, 0.5), p99: pct(times, 0.99), errors });
  }
  return rows;
}

const pdEvent = (routingKey: string, prefix: string) => (i: number) => {
  const k = keyIndex(i);
  return JSON.stringify({
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: `${prefix}-${k}`,
    payload: { summary: `Disk almost full on host-${k}`, source: `host-${k}.example`, severity: 'critical', component: 'disk', custom_details: { free_percent: 4 } },
  });
};

/**
 * One Vigil run on one database: services → (fill) → list queries → ingestion → SIGKILL → read
 * the database. `open` opens the database directly (the embedded one only while no server holds it).
 */
async function vigilRun(dbLabel: string, env: Record<string, string>, plan: Plan, open: () => Promise<Database>): Promise<{ row: IngestRow; list: ListPhase }> {
  console.log(`\nVigil on ${dbLabel}`);
  const began = performance.now();
  const token = randomBytes(24).toString('hex');
  const total = positive('list-alerts', flags['list-alerts'])!;
  let vigil = await startVigil(env, token);
  try {
    const services: Service[] = [];
    for (let s = 0; s < 4; s++) services.push(await createService(vigil, `list-${s}`));
    const warm = await createService(vigil, 'warm-up');
    const target = await createService(vigil, 'ingest');

    /** Stops the server cleanly, works on its database directly, starts it again. */
    const offline = async (work: (database: Database) => Promise<unknown>) => {
      const code = await vigil.server.stop();
      if (code !== 0) throw new Error(`Vigil did not stop cleanly (${code}):\n${vigil.server.output()}`);
      const database = await open();
      try {
        await work(database);
      } finally {
        await database.close();
      }
      vigil = await startVigil(env, token);
    };

    const t0 = performance.now();
    let fillErrors = 0;
    if (flags['list-fill'] === 'ingest') fillErrors = await fillByIngest(vigil, services, total);
    else await offline((database) => fillBySql(database, services, total));
    const fillSeconds = (performance.now() - t0) / 1000;
    const openAlerts = await countOpen(vigil);
    const fill = flags['list-fill'] === 'ingest' ? 'Alertmanager webhook posts of 500 alerts' : 'SQL with the server stopped';
    console.log(`  list data: ${n(openAlerts)} open alerts over 4 services, written in ${fillSeconds.toFixed(1)} s (${fill}, restart included)`);
    const samples = positive('list-samples', flags['list-samples'])!;
    const asLoaded = await listQueries(vigil, services, openAlerts, samples);
    for (const r of asLoaded) console.log(`  as loaded: ${r.label}: p50 ${fmtMs(r.p50)}, p99 ${fmtMs(r.p99)}${r.errors ? `, ERRORS ${r.errors}` : ''}`);
    // The planner's statistics: PostgreSQL's autovacuum refreshes them after a while; PGlite has no autovacuum.
    await offline((database) => sql`analyze`.execute(database.db));
    const analyzed = await listQueries(vigil, services, openAlerts, samples);
    for (const r of analyzed) console.log(`  after ANALYZE: ${r.label}: p50 ${fmtMs(r.p50)}, p99 ${fmtMs(r.p99)}${r.errors ? `, ERRORS ${r.errors}` : ''}`);
    const list: ListPhase = { db: dbLabel, openAlerts, fill, fillSeconds, fillErrors, asLoaded, analyzed };

    const pid = vigil.server.child.pid!;
    const agent = keepAliveAgent(plan);
    await load(agent, vigil.url, '/v2/enqueue', { ...WARM_UP, concurrency: plan.concurrency }, 202, pdEvent(warm.key, 'warm'));
    resetPeakRss(pid);
    const result = await load(agent, vigil.url, '/v2/enqueue', plan, 202, pdEvent(target.key, 'ingest'));
    agent.destroy();
    const rss = peakRssMb(pid);
    describeRun('PagerDuty /v2/enqueue', result, rss);

    // Durability and dedup: no chance to flush anything on the way out, then read the database.
    await vigil.server.stop('SIGKILL');
    const database = await open();
    let got: { alerts: number; counts: number; events: number };
    try {
      const a = await sql<{ alerts: number; counts: number }>`select count(*)::int as alerts, coalesce(sum(count), 0)::int as counts from alerts where service_id = ${target.id}`.execute(database.db);
      const e = await sql<{ events: number }>`select count(*)::int as events from alert_events where service_id = ${target.id}`.execute(database.db);
      got = { alerts: Number(a.rows[0]!.alerts), counts: Number(a.rows[0]!.counts), events: Number(e.rows[0]!.events) };
    } finally {
      await database.close();
    }
    const wantAlerts = distinctKeys(result.sent);
    const failed = errorCount(result);
    // With failed requests, an event may or may not have been committed: the figures can only be bounds.
    const ok = failed === 0 ? got.alerts === wantAlerts && got.counts === result.ok && got.events === result.ok : got.counts >= result.ok && got.counts <= result.sent;
    const text =
      `after SIGKILL the database holds ${n(got.alerts)} alerts for ${n(wantAlerts)} distinct keys sent; ` +
      `sum of counts ${n(got.counts)}, logged events ${n(got.events)}, for ${n(result.ok)} events answered 202` +
      (failed ? ` (and ${failed} failed requests)` : '') +
      ` → ${ok ? 'OK' : 'MISMATCH'}`;
    console.log(`  check: ${text}`);
    console.log(`  (this database took ${((performance.now() - began) / 1000).toFixed(0)} s in all, starts, fill and checks included)`);
    return { row: { target: `Vigil, ${dbLabel}`, result, peakRss: rss, check: { text, ok } }, list };
  } finally {
    await vigil.server.stop('SIGKILL');
  }
}

async function embeddedRun(plan: Plan) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-ingest-'));
  try {
    return await vigilRun('embedded PGlite', { VIGIL_DATA_DIR: dir }, plan, () => openEmbedded(dir, new Date()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRun(url: string, plan: Plan) {
  const name = `vigil_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    const target = new URL(url);
    target.pathname = `/${name}`;
    return await vigilRun(`PostgreSQL ${target.host}`, { VIGIL_DATABASE_URL: target.toString() }, plan, () => openPostgres({ url: target.toString(), maxConnections: 2 }));
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

// ---- references ----------------------------------------------------------------------------------
async function bareRun(plan: Plan): Promise<IngestRow> {
  console.log('\nReference 1: bare node:http server (reads the body, answers 202)');
  const server = startServerProcess({}, [NODE, join(import.meta.dirname, 'ingest.ts'), '--bare-server']);
  try {
    const url = await server.url;
    const body = pdEvent('0'.repeat(32), 'bare');
    const agent = keepAliveAgent(plan);
    await load(agent, url, '/v2/enqueue', { ...WARM_UP, concurrency: plan.concurrency }, 202, body);
    resetPeakRss(server.child.pid!);
    const result = await load(agent, url, '/v2/enqueue', plan, 202, body);
    agent.destroy();
    const rss = peakRssMb(server.child.pid!);
    describeRun('bare 202', result, rss);
    return { target: 'bare node:http (reference 1)', result, peakRss: rss };
  } finally {
    await server.stop();
  }
}

async function alertmanagerRun(plan: Plan): Promise<IngestRow> {
  console.log('\nReference 2: Prometheus Alertmanager 0.25, single-alert POST /api/v2/alerts (held in memory)');
  // Long group waits: nothing is notified during the run; Alertmanager only takes alerts in.
  const am = await startAlertmanager({ webhookUrl: 'http://127.0.0.1:9/unused', groupWait: '1h', groupInterval: '1h', repeatInterval: '24h' });
  try {
    const pid = findPid(`--web.listen-address=${new URL(am.url).host}`);
    const startsAt = new Date().toISOString();
    const body = (alertname: string) => (i: number) => {
      const k = keyIndex(i);
      return JSON.stringify([
        {
          labels: { alertname, instance: `host-${k}.example`, severity: 'critical', component: 'disk' },
          annotations: { summary: `Disk almost full on host-${k}` },
          startsAt,
          generatorURL: 'http://prometheus.example:9090/graph',
        },
      ]);
    };
    const agent = keepAliveAgent(plan);
    await load(agent, am.url, '/api/v2/alerts', { ...WARM_UP, concurrency: plan.concurrency }, 200, body('BenchWarmUp'));
    if (pid !== undefined) resetPeakRss(pid);
    const result = await load(agent, am.url, '/api/v2/alerts', plan, 200, body('BenchAlert'));
    agent.destroy();
    const rss = pid === undefined ? undefined : peakRssMb(pid);
    describeRun('Alertmanager', result, rss);
    // Its own dedup: it holds one alert per distinct label set.
    const res = await fetch(`${am.url}/api/v2/alerts?filter=${encodeURIComponent('alertname="BenchAlert"')}`);
    const held = ((await res.json()) as unknown[]).length;
    const ok = held === distinctKeys(result.sent);
    const text = `Alertmanager holds ${n(held)} alerts for ${n(distinctKeys(result.sent))} distinct label sets sent → ${ok ? 'OK' : 'MISMATCH'}`;
    console.log(`  check: ${text}`);
    return { target: 'Alertmanager 0.25 (reference 2)', result, peakRss: rss, check: { text, ok } };
  } finally {
    await am.stop();
  }
}

// ---- main ----------------------------------------------------------------------------------------
async function main(): Promise<void> {
  const benchStart = performance.now();
  const events = positive('events', flags.events);
  const seconds = positive('seconds', flags.seconds) ?? (events === undefined ? 4 : undefined);
  const concurrency = positive('concurrency', flags.concurrency)!;
  positive('list-alerts', flags['list-alerts']);
  positive('list-samples', flags['list-samples']);
  if (flags['list-fill'] !== 'sql' && flags['list-fill'] !== 'ingest') throw new Error('--list-fill must be sql or ingest');
  const plan: Plan = { events, seconds, concurrency };

  const envUrl = process.env.VIGIL_TEST_DATABASE_URL || undefined;
  const pgUrl = flags['postgres-url'] ?? envUrl;
  const pgWhy = flags.postgres ? '--postgres' : envUrl ? 'VIGIL_TEST_DATABASE_URL is set' : undefined;
  if (flags.postgres && !pgUrl) throw new Error('--postgres needs a server: pass --postgres-url postgres://… or set VIGIL_TEST_DATABASE_URL');
  const amBinary = flags.alertmanager ? alertmanagerBinary() : undefined;

  const amount = events !== undefined ? `${n(events)} events` : `${seconds} s`;
  console.log(`Ingestion benchmark, ${new Date().toISOString()}, load average ${load3()}`);
  console.log(`  ${amount} per target at ${concurrency} in flight (keep-alive node:http client in this process); half new keys, half repeats; 1 s of warm-up each`);
  console.log(`  Vigil runs as a child process with VIGIL_LOG_LEVEL=${flags['log-level']}`);
  console.log(`  PostgreSQL: ${pgUrl && pgWhy ? `${redact(pgUrl)} (run because ${pgWhy}), a fresh database` : 'not run (pass --postgres with --postgres-url, or set VIGIL_TEST_DATABASE_URL)'}`);

  const rows: IngestRow[] = [];
  const lists: ListPhase[] = [];
  const bare = await bareRun(plan);
  rows.push(bare);
  if (flags.embedded) {
    const r = await embeddedRun(plan);
    rows.push(r.row);
    lists.push(r.list);
  }
  if (pgUrl && pgWhy) {
    const r = await postgresRun(pgUrl, plan);
    rows.push(r.row);
    lists.push(r.list);
  }
  let am: IngestRow | undefined;
  if (amBinary) {
    am = await alertmanagerRun(plan);
    rows.push(am);
  } else {
    console.log(`\nReference 2: skipped (${flags.alertmanager ? `${DEBIAN_ALERTMANAGER} not found` : '--no-alertmanager'})`);
  }

  const ratio = (r: IngestRow, ref: IngestRow | undefined) => (ref && r !== ref ? `${(rate(r.result) / rate(ref.result)).toFixed(3)}×` : '');
  console.log(`\n== Ingestion: single-event posts, ${amount} per target, ${concurrency} in flight; load average now ${load3()} ==`);
  printTable([
    ['target', 'answered as expected', 'events/s', 'p50', 'p99', 'errors', 'peak RSS', 'vs bare', 'vs Alertmanager'],
    ...rows.map((r) => [
      r.target,
      `${n(r.result.ok)}/${n(r.result.sent)}`,
      n(Math.round(rate(r.result))),
      fmtMs(pct(r.result.latencies, 0.5)),
      fmtMs(pct(r.result.latencies, 0.99)),
      errorCount(r.result) ? `${errorCount(r.result)} !!` : '0',
      r.peakRss === undefined ? 'n/a' : `${r.peakRss.toFixed(0)} MB`,
      ratio(r, bare),
      ratio(r, am),
    ]),
  ]);
  for (const r of rows) if (r.check) console.log(`  ${r.check.ok ? 'ok  ' : '!!  '}${r.target}: ${r.check.text}`);
  if (rows.some((r) => errorCount(r.result) > 0)) console.log('  !! some requests failed: see ERRORS above');

  for (const l of lists) {
    console.log(
      `\n== Alert list API, ${l.db}: ${n(l.openAlerts)} open alerts (written by ${l.fill}${l.fillErrors ? `, ${l.fillErrors} FAILED posts` : ''}), ` +
        `${flags['list-samples']} sequential requests each, as loaded and after ANALYZE ==`,
    );
    const ref = l.analyzed[0]!;
    printTable([
      ['query', 'p50 as loaded', 'p99 as loaded', 'p50 after ANALYZE', 'p99 after ANALYZE', 'vs /healthz', 'errors'],
      ...l.analyzed.map((r, i) => {
        const before = l.asLoaded[i]!;
        const errors = r.errors + before.errors;
        return [`${r.label}: ${r.query}`, fmtMs(before.p50), fmtMs(before.p99), fmtMs(r.p50), fmtMs(r.p99), r === ref ? '' : `${(r.p50 / ref.p50).toFixed(1)}×`, errors ? `${errors} !!` : '0'];
      }),
    ]);
  }
  console.log(`\nFinished in ${((performance.now() - benchStart) / 1000).toFixed(0)} s.`);
  const failed = rows.some((r) => errorCount(r.result) > 0 || r.check?.ok === false) || lists.some((l) => l.fillErrors > 0 || [...l.asLoaded, ...l.analyzed].some((r) => r.errors > 0));
  if (failed) {
    console.log('\n!! errors or failed checks above');
    process.exitCode = 1;
  }
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  rows.forEach((r, i) => {
    console.log(`  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`);
    if (i === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  });
}

// ---- entry: the benchmark, or (in a child process of its own) the bare reference server ---------
if (flags['bare-server']) {
  const reply = JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: null });
  const server = http.createServer((req, res) => {
    let size = 0;
    req.on('data', (c: Buffer) => (size += c.length));
    req.on('end', () => {
      res.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply), 'x-body-bytes': String(size) }).end(reply);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as { port: number }).port}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
} else {
  await main();
}
