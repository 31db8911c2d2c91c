import { IANAZone } from 'luxon';
import type { Role } from '../../storage/schema.ts';
import type { FieldError } from '../shared/errors.ts';

export const ROLES: readonly Role[] = ['admin', 'responder', 'observer'];

export interface User {
  id: string;
  email: string;
  name: string;
  timeZone: string;
  role: Role;
  createdAt: Date;
}

export function toUser(row: {
  id: string;
  email: string;
  name: string;
  time_zone: string;
  role: Role;
  created_at: Date;
}): User {
  return { id: row.id, email: row.email, name: row.name, timeZone: row.time_zone, role: row.role, createdAt: row.created_at };
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export function checkEmail(email: string, field = 'email'): FieldError | null {
  if (email.length > 254) return { field, reason: 'must be at most 254 characters' };
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$|^[^\s@]+@localhost$/.test(email) ? null : { field, reason: 'must be an email address' };
}

export function checkName(name: string, field = 'name', max = 100): FieldError | null {
  const trimmed = name.trim();
  if (!trimmed) return { field, reason: 'must not be empty' };
  if (trimmed.length > max) return { field, reason: `must be at most ${max} characters` };
  return null;
}

export function checkTimeZone(zone: string, field = 'timeZone'): FieldError | null {
  return IANAZone.isValidZone(zone) ? null : { field, reason: `"${zone}" is not an IANA time zone (e.g. Europe/London)` };
}
