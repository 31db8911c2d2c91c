import type { Tx } from '../shared/context.ts';

/**
 * The server secret named `name`, created with `value` when there is none yet. Every node on one
 * database races to the same insert; `on conflict do nothing` lets the first win and the others
 * read its value, so they all sign and verify with one key.
 */
export async function ensureServerSecret(db: Tx, name: string, value: string, now: Date): Promise<string> {
  await db.insertInto('server_secrets').values({ name, value, created_at: now }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
