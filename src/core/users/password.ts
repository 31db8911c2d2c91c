import { hash, verify } from '@node-rs/argon2';
import type { FieldError } from '../shared/errors.ts';

// OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane (about 12 ms a hash here).
const OPTIONS = { algorithm: 2 /* Algorithm.Argon2id, a const enum type stripping cannot inline */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** Length is what makes a password strong; composition rules only annoy (NIST SP 800-63B). */
export function checkPassword(password: string, field = 'password'): FieldError | null {
  if (password.length < PASSWORD_MIN) return { field, reason: `must be at least ${PASSWORD_MIN} characters` };
  if (password.length > PASSWORD_MAX) return { field, reason: `must be at most ${PASSWORD_MAX} characters` };
  return null;
}

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the email is unknown keeps the response time the same either way.
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = (): Promise<string> => (dummyHash ??= hashPassword('vigil-timing-equaliser'));
