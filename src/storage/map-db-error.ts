import { DomainError } from '../core/shared/errors.ts';

/** Unique indexes whose violation means "that value is taken", named for the field that collides. */
const UNIQUE_FIELDS: Record<string, string> = {
  users_email_key: 'email',
  teams_name_key: 'name',
  services_name_key: 'name',
  schedules_name_key: 'name',
};

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P03', '08006', '08001', '08004']);

/**
 * Translates a database error into a domain error where the database itself enforced a rule
 * (a lost race on a unique name, a foreign key). Returns null for anything else.
 */
export function mapDbError(error: unknown): DomainError | null {
  if (!error || typeof error !== 'object') return null;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code === '23505') {
    const field = typeof constraint === 'string' ? UNIQUE_FIELDS[constraint] : undefined;
    return new DomainError('CONFLICT', field ? `That ${field} is already in use.` : 'That record already exists.', field ? { fields: [{ field, reason: 'is already in use' }] } : undefined);
  }
  if (code === '23503') return new DomainError('VALIDATION', 'A referenced record does not exist.', { fields: [] });
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return new DomainError('UNAVAILABLE', 'The database is unavailable; try again shortly.');
  return null;
}
