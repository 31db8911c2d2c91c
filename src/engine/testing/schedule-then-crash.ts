// Child process for restart.db.test.ts: opens the embedded database on a data directory, then
// dies by SIGKILL (no cleanup, stale lock file left behind) at a chosen point.
//   node schedule-then-crash.ts <dataDir> <nowIso> schedule   schedules restart.check at now + 1 min, commits, dies
//   node schedule-then-crash.ts <dataDir> <nowIso> mid-run    schedules it at now, dies inside its handler
import { writeSync } from 'node:fs';
import { FakeClock } from '../../core/shared/clock.ts';
import { migrateToLatest } from '../../storage/migrate.ts';
import { openEmbedded } from '../../storage/open-database.ts';
import { createEngine } from '../engine.ts';
import { defineFamily } from '../registry.ts';
import { scheduleJob } from '../schedule-job.ts';

const [dataDir, nowIso, mode] = process.argv.slice(2);
if (!dataDir || !nowIso || (mode !== 'schedule' && mode !== 'mid-run')) throw new Error('usage: <dataDir> <nowIso> schedule|mid-run');
const clock = new FakeClock(nowIso);
const database = await openEmbedded(dataDir, clock.now());
await migrateToLatest(database.db);
const runAt = new Date(clock.now().getTime() + (mode === 'schedule' ? 60_000 : 0));
await database.db.transaction().execute((tx) =>
  scheduleJob(tx, { kind: 'restart.check', key: 'restart:1', runAt, payload: { scheduledBy: process.pid }, now: clock.now() }),
);
const die = (): never => {
  writeSync(1, `${mode}: dying\n`); // synchronous: the kill must not race an async stdout write
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
if (mode === 'schedule') die();
const engine = createEngine({
  database,
  clock,
  nodeId: 'doomed',
  handlers: [defineFamily('restart', 1, { 'restart.check': async () => die() })],
});
await engine.drain();
