// Job engine benchmark: pickup latency (schedule → handler start) with an idle worker, and
// throughput, on embedded PGlite (a temp data directory) and on PostgreSQL when
// VIGIL_TEST_DATABASE_URL is set. Each figure is printed with a ratio against a reference measured
// in the same run on the same database, so results compare across machines:
//   latency    ÷ one bare `insert … ; delete …` transaction (the floor for "write a row, commit")
//   throughput ÷ bare insert+delete pairs per second (what the engine does per job, minus claiming)
// Usage: node bench/engine.ts [jobs=2000] [latencySamples=300]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { systemClock } from '../src/core/shared/clock.ts';
import { createEngine, defineFamily, scheduleJob } from '../src/engine/index.ts';
import { migrateToLatest } from '../src/storage/migrate.ts';
import { type Database, openEmbedded } from '../src/storage/open-database.ts';
import { createPostgresTestDatabase, postgresTestUrl } from '../src/storage/testing/test-database.ts';

const JOBS = Number(process.argv[2] ?? 2000);
const SAMPLES = Number(process.argv[3] ?? 300);
const quiet = { info() {}, warn() {}, error: (o: object, m: string) => console.error(m, o) };

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(3)} ms`;

async function reference(database: Database) {
  const db = database.db;
  await sql`create table bench_ref (id bigint generated always as identity primary key, payload jsonb not null)`.execute(db);
  const once = () =>
    db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ id: number }>`insert into bench_ref (payload) values ('{}'::jsonb) returning id`.execute(tx);
      await sql`delete from bench_ref where id = ${rows[0]!.id}`.execute(tx);
    });
  for (let i = 0; i < 50; i++) await once(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    await once();
    samples.push(performance.now() - t);
  }
  const selects: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    await sql`select 1`.execute(db);
    selects.push(performance.now() - t);
  }
  const t = performance.now();
  for (let i = 0; i < JOBS; i++) {
    const { rows } = await sql<{ id: number }>`insert into bench_ref (payload) values ('{}'::jsonb) returning id`.execute(db);
    await sql`delete from bench_ref where id = ${rows[0]!.id}`.execute(db);
  }
  return { txMedian: pct(samples, 0.5), txP99: pct(samples, 0.99), selectMedian: pct(selects, 0.5), pairsPerSec: JOBS / ((performance.now() - t) / 1000) };
}

async function pickupLatency(database: Database, concurrency: number) {
  let started: (() => void) | undefined;
  const engine = createEngine({
    database,
    clock: systemClock,
    concurrency,
    logger: quiet,
    handlers: [defineFamily('bench', 1, { 'bench.noop': async () => started?.() })],
  });
  await engine.start();
  const fromSchedule: number[] = [];
  const fromCommit: number[] = [];
  for (let i = 0; i < SAMPLES + 20; i++) {
    const ran = new Promise<void>((resolve) => (started = resolve));
    const t0 = performance.now();
    await database.db.transaction().execute((tx) => scheduleJob(tx, { kind: 'bench.noop', runAt: systemClock.now(), now: systemClock.now() }));
    const committed = performance.now();
    await ran;
    const t1 = performance.now();
    if (i >= 20) {
      fromSchedule.push(t1 - t0);
      fromCommit.push(t1 - committed);
    }
    await new Promise((r) => setTimeout(r, 2)); // let the worker finish and go idle again
  }
  await engine.stop();
  return { median: pct(fromSchedule, 0.5), p99: pct(fromSchedule, 0.99), afterCommitMedian: pct(fromCommit, 0.5) };
}

async function throughput(database: Database, concurrency: number) {
  for (let b = 0; b < JOBS; b += 500) {
    await database.db.transaction().execute(async (tx) => {
      for (let j = 0; j < Math.min(500, JOBS - b); j++) await scheduleJob(tx, { kind: 'bench.count', runAt: systemClock.now(), now: systemClock.now() });
    });
  }
  let done = 0;
  let finished!: () => void;
  const all = new Promise<void>((r) => (finished = r));
  const engine = createEngine({
    database,
    clock: systemClock,
    concurrency,
    logger: quiet,
    handlers: [defineFamily('bench', 1, { 'bench.count': async () => void (++done === JOBS && finished()) })],
  });
  const t = performance.now();
  await engine.start();
  await all;
  await engine.stop(); // includes recording the last completions
  return JOBS / ((performance.now() - t) / 1000);
}

async function run(label: string, database: Database, concurrency: number) {
  const ref = await reference(database);
  const lat = await pickupLatency(database, concurrency);
  const tput = await throughput(database, concurrency);
  console.log(`\n${label} (engine concurrency ${concurrency}, ${SAMPLES} latency samples, ${JOBS} jobs)`);
  console.log(`  reference: select 1 ${ms(ref.selectMedian)}; insert+delete transaction median ${ms(ref.txMedian)}, p99 ${ms(ref.txP99)}; ${ref.pairsPerSec.toFixed(0)} insert+delete pairs/s`);
  console.log(`  pickup latency schedule→handler start: median ${ms(lat.median)} (${(lat.median / ref.txMedian).toFixed(2)}× reference tx), p99 ${ms(lat.p99)} (${(lat.p99 / ref.txMedian).toFixed(2)}×)`);
  console.log(`  of which after commit: median ${ms(lat.afterCommitMedian)}`);
  console.log(`  throughput: ${tput.toFixed(0)} jobs/s (${(tput / ref.pairsPerSec).toFixed(2)}× bare insert+delete pairs/s)`);
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-engine-'));
try {
  const embedded = await openEmbedded(dir, systemClock.now());
  try {
    await migrateToLatest(embedded.db);
    await run('embedded PGlite (data directory on disk)', embedded, 1);
  } finally {
    await embedded.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (postgresTestUrl()) {
  const pg = await createPostgresTestDatabase();
  try {
    await run('PostgreSQL', pg, 4);
  } finally {
    await pg.close();
  }
} else {
  console.log('\nPostgreSQL: skipped (set VIGIL_TEST_DATABASE_URL)');
}
