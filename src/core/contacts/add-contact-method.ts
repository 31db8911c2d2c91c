import type { ContactType } from '../../storage/schema.ts';
import { writeAudit } from '../shared/audit.ts';
import type { Ctx } from '../shared/context.ts';
import { conflict, DomainError, type FieldError, notFound, validationError } from '../shared/errors.ts';
import { authorizeOwn } from './access.ts';
import { CONTACT_TYPES, checkAddress, checkLabel, type ContactMethod, MAX_METHODS_PER_USER, normaliseAddress } from './contact.ts';
import { scheduleCode } from './send-code.ts';
import { findMethods, insertMethod, toMethod, userExists } from './store.ts';

export interface AddContactMethodInput {
  type: ContactType;
  label: string;
  address: string;
}

/** Adds an unverified contact method and sends it a verification code. */
export async function addContactMethod(ctx: Ctx, userId: string, input: AddContactMethodInput): Promise<ContactMethod> {
  authorizeOwn(ctx, userId, true);
  const problems: FieldError[] = [];
  if (!CONTACT_TYPES.includes(input.type)) problems.push({ field: 'type', reason: `must be one of ${CONTACT_TYPES.join(', ')}` });
  const label = checkLabel(input.label);
  if (label) problems.push(label);
  const address = normaliseAddress(input.type, input.address);
  if (CONTACT_TYPES.includes(input.type)) {
    const bad = checkAddress(input.type, address);
    if (bad) problems.push(bad);
  }
  if (problems.length) throw validationError(problems);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    if (!(await userExists(tx, userId))) throw notFound('user', userId);
    const existing = await findMethods(tx, [userId]);
    if (existing.length >= MAX_METHODS_PER_USER) throw new DomainError('LIMIT_EXCEEDED', `A person has at most ${MAX_METHODS_PER_USER} contact methods.`);
    if (existing.some((m) => m.type === input.type && m.address === address)) {
      throw conflict('This contact method exists already.', { fields: [{ field: 'address', reason: 'is already a contact method of this person' }] });
    }
    const row = await insertMethod(tx, { userId, type: input.type, label: input.label.trim(), address, now });
    await scheduleCode(tx, row.id, now);
    await writeAudit(tx, ctx, { action: 'contact_method.create', entityType: 'user', entityId: userId, data: { contactMethodId: row.id, type: row.type, label: row.label } });
    return toMethod(row);
  });
}
