import { sql } from 'kysely';
import { createPGliteTestDatabase } from '../storage/testing/test-database.ts';
const t0 = performance.now();
const d = await createPGliteTestDatabase();
console.log('clone+template ms', performance.now() - t0);
const t1 = performance.now();
const d2 = await createPGliteTestDatabase();
console.log('second clone ms', performance.now() - t1);
let got = 0;
await d.listen('vigil_jobs', (p) => { got++; console.log('notified', JSON.stringify(p), performance.now()); });
await d.db.transaction().execute(async (tx) => {
  const r = await sql`with j as (insert into jobs (kind, key, payload, run_at, created_at) values ('a.b', 'k', ${JSON.stringify({x:1})}::jsonb, ${new Date()}::timestamptz, ${new Date()}) returning id, (xmax = 0) as created) select j.id, j.created, pg_notify('vigil_jobs', '') from j`.execute(tx);
  console.log(r.rows, 'got before commit', got);
});
console.log('after commit got', got, performance.now());
const r2 = await sql`select * from jsonb_to_recordset(${JSON.stringify([{kind:'a.b', family:'a', version: 1}])}::jsonb) as m(kind text, family text, version int)`.execute(d.db);
console.log(r2.rows);
const r3 = await sql`select payload, run_at, id from jobs`.execute(d.db);
console.log(r3.rows);
