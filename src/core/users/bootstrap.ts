import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { systemActor, type Ctx } from '../shared/context.ts';
import { hashSecret, randomString } from '../shared/secrets.ts';
import { createApiToken } from './create-api-token.ts';
import { createUser } from './create-user.ts';
import { countUsers } from './store.ts';

export interface BootstrapInput {
  adminEmail?: string | undefined;
  adminPassword?: string | undefined;
  /** 32+ characters: an admin-scoped API token with exactly this value is created once. */
  bootstrapToken?: string | undefined;
}

export interface BootstrapResult {
  /** Set only on the very first start, when the first admin was created. */
  admin?: { email: string; password: string; generated: boolean };
  tokenCreated: boolean;
}

export const DEFAULT_ADMIN_EMAIL = 'admin@localhost';

/**
 * First start: creates the first admin (from VIGIL_ADMIN_* or with a generated password to print
 * once) and the bootstrap token. Later starts change nothing, so it is safe to run on every start.
 */
export async function bootstrap(deps: { db: Kysely<DB>; clock: Clock }, input: BootstrapInput): Promise<BootstrapResult> {
  const ctx: Ctx = { db: deps.db, clock: deps.clock, actor: systemActor('bootstrap') };
  const result: BootstrapResult = { tokenCreated: false };

  let firstAdmin = await deps.db.selectFrom('users').select(['id', 'name']).where('role', '=', 'admin').orderBy('created_at').limit(1).executeTakeFirst();
  if ((await countUsers(deps.db)) === 0) {
    const generated = input.adminPassword === undefined;
    const password = input.adminPassword ?? randomString(20);
    const email = input.adminEmail ?? DEFAULT_ADMIN_EMAIL;
    const user = await createUser(ctx, { email, name: 'Administrator', role: 'admin', password });
    firstAdmin = { id: user.id, name: user.name };
    result.admin = { email: user.email, password, generated };
  }

  if (input.bootstrapToken && firstAdmin) {
    const exists = await deps.db.selectFrom('api_tokens').select('id').where('token_hash', '=', hashSecret(input.bootstrapToken)).executeTakeFirst();
    if (!exists) {
      const asAdmin: Ctx = { ...ctx, actor: { type: 'user', id: firstAdmin.id, name: firstAdmin.name, role: 'admin' } };
      await createApiToken(asAdmin, { name: 'bootstrap', scope: 'admin', secret: input.bootstrapToken });
      result.tokenCreated = true;
    }
  }
  return result;
}
