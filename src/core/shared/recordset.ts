import { sql } from 'kysely';

/**
 * Rows for a set-based statement, as one jsonb parameter read by `jsonb_to_recordset` (give the
 * columns and types after `as v(…)`): one statement whatever the number of rows, and pg and PGlite
 * pass one text parameter the same way, where their array parameters differ.
 */
export const recordset = (rows: readonly object[]) => sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)`;
