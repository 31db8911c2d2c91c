import { writeAudit } from '../shared/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { DomainError, notFound, validationError } from '../shared/errors.ts';
import { authorizeOwn } from './access.ts';
import { checkCode, type ContactMethod, MAX_CODE_ATTEMPTS } from './contact.ts';
import { codeHash } from './jobs.ts';
import { countAttempt, lockMethod, markVerified, toMethod } from './store.ts';

/**
 * Verifies a method with the code it was sent. A wrong code counts an attempt (committed even
 * though the request fails); after five, or once the code has expired, a new code is needed.
 */
export async function verifyContactMethod(ctx: Ctx, userId: string, methodId: string, code: string): Promise<ContactMethod> {
  authorizeOwn(ctx, userId, true);
  const now = ctx.clock.now();
  const outcome = await ctx.db.transaction().execute(async (tx) => {
    const m = await lockMethod(tx, userId, methodId);
    if (!m) throw notFound('contact method', methodId);
    if (m.verified_at) return { method: toMethod(m), check: 'ok' as const };
    const check = checkCode({ codeHash: m.code_hash, expiresAt: m.code_expires_at, attempts: m.code_attempts }, codeHash(m.id, code.trim()), now);
    if (check === 'wrong') await countAttempt(tx, m.id, now);
    if (check !== 'ok') return { method: toMethod(m), check, attemptsLeft: MAX_CODE_ATTEMPTS - m.code_attempts - 1 };
    await markVerified(tx, m.id, now);
    await writeAudit(tx, ctx, { action: 'contact_method.verify', entityType: 'user', entityId: userId, data: { contactMethodId: m.id } });
    return { method: { ...toMethod(m), verified: true, verifiedAt: now }, check };
  });
  if (outcome.check === 'wrong') {
    const left = outcome.attemptsLeft ?? 0;
    throw validationError([{ field: 'code', reason: left > 0 ? `is not the code that was sent (${left} attempts left)` : 'is not the code that was sent; ask for a new code' }]);
  }
  if (outcome.check !== 'ok') {
    const why = outcome.check === 'expired' ? 'The code has expired' : outcome.check === 'no-code' ? 'No code has been sent yet' : 'Too many wrong codes';
    throw new DomainError('PRECONDITION_FAILED', `${why}: ask for a new code.`);
  }
  return outcome.method;
}
