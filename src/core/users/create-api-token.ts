import type { TokenScope } from '../../storage/schema.ts';
import { writeAudit } from '../shared/audit.ts';
import { actorUserId, authorize, can, type Ctx } from '../shared/context.ts';
import { type FieldError, forbidden, validationError } from '../shared/errors.ts';
import { hashSecret, randomString } from '../shared/secrets.ts';
import { type ApiToken, TOKEN_DISPLAY_CHARS, TOKEN_PREFIX, TOKEN_SCOPES, toApiToken } from './api-token.ts';
import { insertApiToken } from './store.ts';
import { checkName } from './user.ts';

export interface CreateApiTokenInput {
  name: string;
  scope: TokenScope;
  expiresInDays?: number | undefined;
  /** Only for bootstrap: use this secret instead of generating one. */
  secret?: string | undefined;
}

/**
 * Issues an API token for the acting user. The secret is returned once and only its hash is kept.
 * A token can never hold more than its owner: a responder cannot mint an admin token.
 */
export async function createApiToken(ctx: Ctx, input: CreateApiTokenInput): Promise<{ token: ApiToken; secret: string }> {
  authorize(ctx.actor, 'read');
  const userId = actorUserId(ctx.actor);
  if (!userId) throw forbidden('Only a user can own API tokens.');
  const problems = [
    checkName(input.name),
    TOKEN_SCOPES.includes(input.scope) ? null : { field: 'scope', reason: `must be one of ${TOKEN_SCOPES.join(', ')}` },
    input.expiresInDays === undefined || (Number.isInteger(input.expiresInDays) && input.expiresInDays >= 1 && input.expiresInDays <= 3650)
      ? null
      : { field: 'expiresInDays', reason: 'must be a whole number of days from 1 to 3650' },
  ].filter((p): p is FieldError => p !== null);
  if (problems.length) throw validationError(problems);
  if (!can(ctx.actor, input.scope)) {
    throw forbidden(`You cannot create a token with the ${input.scope} scope: it would exceed your own permission.`);
  }

  const secret = input.secret ?? TOKEN_PREFIX + randomString(40);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await insertApiToken(tx, {
      user_id: userId,
      name: input.name.trim(),
      token_hash: hashSecret(secret),
      token_prefix: secret.slice(0, TOKEN_DISPLAY_CHARS),
      scope: input.scope,
      created_at: now,
      expires_at: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null,
    });
    await writeAudit(tx, ctx, { action: 'api_token.create', entityType: 'api_token', entityId: row.id, data: { name: row.name, scope: row.scope } });
    return { token: toApiToken(row), secret };
  });
}
