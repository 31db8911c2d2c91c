import type { Role } from '../../storage/schema.ts';
import { writeAudit } from '../shared/audit.ts';
import { authorize, type Ctx } from '../shared/context.ts';
import { conflict, type FieldError, validationError } from '../shared/errors.ts';
import { checkPassword, hashPassword } from './password.ts';
import { insertUser, findUserByEmail } from './store.ts';
import { checkEmail, checkName, checkTimeZone, normalizeEmail, ROLES, toUser, type User } from './user.ts';

export interface CreateUserInput {
  email: string;
  name: string;
  role: Role;
  timeZone?: string | undefined;
  /** Omitted: the user cannot log in with a password until one is set. */
  password?: string | undefined;
}

/** Adds a person who can be paged and can log in. Admins only. */
export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<User> {
  authorize(ctx.actor, 'admin');
  const email = normalizeEmail(input.email);
  const timeZone = input.timeZone ?? 'UTC';
  const problems = [
    checkEmail(email),
    checkName(input.name),
    ROLES.includes(input.role) ? null : { field: 'role', reason: `must be one of ${ROLES.join(', ')}` },
    checkTimeZone(timeZone),
    input.password === undefined ? null : checkPassword(input.password),
  ].filter((p): p is FieldError => p !== null);
  if (problems.length) throw validationError(problems);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);

  return ctx.db.transaction().execute(async (tx) => {
    if (await findUserByEmail(tx, email)) {
      throw conflict(`A user with the email ${email} already exists.`, { fields: [{ field: 'email', reason: 'is already in use' }] });
    }
    const row = await insertUser(tx, {
      email,
      name: input.name.trim(),
      role: input.role,
      time_zone: timeZone,
      password_hash: passwordHash,
      now: ctx.clock.now(),
    });
    await writeAudit(tx, ctx, { action: 'user.create', entityType: 'user', entityId: row.id, data: { email, role: row.role } });
    return toUser(row);
  });
}
