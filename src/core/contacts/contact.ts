import type { ContactType } from '../../storage/schema.ts';
import type { FieldError } from '../shared/errors.ts';

/**
 * Pure rules for contact methods and notification rules. A method can be paged only once it is
 * verified: a code sent through the method itself is entered back, which proves the address
 * reaches its owner (a typo in an email address is found now, not at 3 a.m.).
 */
export const CONTACT_TYPES: readonly ContactType[] = ['email', 'webhook', 'slack', 'slack_webhook', 'teams', 'sms', 'voice'];
export const MAX_METHODS_PER_USER = 20;
export const MAX_RULES_PER_USER = 50;
export const CODE_DIGITS = 6;
export const CODE_TTL_MS = 15 * 60_000;
/** Wrong codes allowed before a new one must be sent. */
export const MAX_CODE_ATTEMPTS = 5;
/** The least time between two codes sent to one method. */
export const RESEND_AFTER_MS = 60_000;

export interface ContactMethod {
  id: string;
  userId: string;
  type: ContactType;
  label: string;
  address: string;
  verified: boolean;
  verifiedAt: Date | null;
  createdAt: Date;
}

export interface NotificationRule {
  id: string;
  userId: string;
  contactMethodId: string;
  urgency: 'high' | 'low';
  delayMinutes: number;
}

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;
/** E.164: a plus, a country code, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;
/** Slack ids: members (U, W on Enterprise Grid) and channels (C public, G private). */
const SLACK_ID = /^[UWCG][A-Z0-9]{8,20}$/;

/**
 * The address problems of a method: an email address; an E.164 phone number (sms, voice); a Slack
 * member or channel id (slack); an https URL (slack_webhook, teams: both services only hand out
 * https URLs); an http(s) URL (webhook). No URL may carry credentials.
 */
export function checkAddress(type: ContactType, address: string): FieldError | null {
  if (address.length === 0 || address.length > 2000) return { field: 'address', reason: 'must be 1 to 2000 characters' };
  if (type === 'email') return EMAIL.test(address) && address.length <= 254 ? null : { field: 'address', reason: 'must be an email address' };
  if (type === 'sms' || type === 'voice') {
    return E164.test(address) ? null : { field: 'address', reason: 'must be a phone number in international format, e.g. +14155550123' };
  }
  if (type === 'slack') {
    return SLACK_ID.test(address) ? null : { field: 'address', reason: 'must be a Slack member id (U0123ABCD) or channel id (C0123ABCD); for an incoming-webhook URL use the type slack_webhook' };
  }
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { field: 'address', reason: type === 'webhook' ? 'must be an absolute http or https URL' : 'must be an absolute https URL' };
  }
  if (type === 'webhook' ? url.protocol !== 'https:' && url.protocol !== 'http:' : url.protocol !== 'https:') {
    return { field: 'address', reason: type === 'webhook' ? 'must be an absolute http or https URL' : 'must be an absolute https URL' };
  }
  if (url.username || url.password) return { field: 'address', reason: 'must not carry credentials: put a token in the path or query instead' };
  return null;
}

export function checkLabel(label: string): FieldError | null {
  return label.trim().length >= 1 && label.trim().length <= 100 ? null : { field: 'label', reason: 'must be 1 to 100 characters' };
}

export function checkDelay(minutes: number): FieldError | null {
  return Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440 ? null : { field: 'delayMinutes', reason: 'must be a whole number of minutes from 0 to 1440' };
}

/**
 * Emails are compared without case, as mail servers do for the domain and nearly all for the
 * rest; phone numbers lose the spaces, dashes, dots and brackets people write them with; Slack ids
 * are upper case. URLs stay as written.
 */
export function normaliseAddress(type: ContactType, address: string): string {
  const trimmed = address.trim();
  if (type === 'email') return trimmed.toLowerCase();
  if (type === 'sms' || type === 'voice') return trimmed.replace(/[\s().-]/g, '').replace(/^00/, '+');
  if (type === 'slack') return trimmed.toUpperCase();
  return trimmed;
}

export type CodeCheck = 'ok' | 'no-code' | 'expired' | 'too-many-attempts' | 'wrong';

/** Whether an entered code verifies the method (before counting the attempt). */
export function checkCode(state: { codeHash: string | null; expiresAt: Date | null; attempts: number }, enteredHash: string, now: Date): CodeCheck {
  if (!state.codeHash || !state.expiresAt) return 'no-code';
  if (state.attempts >= MAX_CODE_ATTEMPTS) return 'too-many-attempts';
  if (now.getTime() >= state.expiresAt.getTime()) return 'expired';
  return enteredHash === state.codeHash ? 'ok' : 'wrong';
}

export interface Readiness {
  /** Pageable for this urgency: at least one rule on a verified method. */
  high: boolean;
  low: boolean;
  problems: string[];
}

/** Whether a person can be reached: the rules that point at verified methods, per urgency. */
export function readinessOf(methods: readonly Pick<ContactMethod, 'id' | 'verified' | 'label'>[], rules: readonly Pick<NotificationRule, 'contactMethodId' | 'urgency'>[]): Readiness {
  const verified = new Set(methods.filter((m) => m.verified).map((m) => m.id));
  const ready = (urgency: 'high' | 'low') => rules.some((r) => r.urgency === urgency && verified.has(r.contactMethodId));
  const problems: string[] = [];
  if (methods.length === 0) problems.push('no contact method');
  else if (verified.size === 0) problems.push('no verified contact method');
  const unverifiedInRules = methods.filter((m) => !m.verified && rules.some((r) => r.contactMethodId === m.id));
  for (const m of unverifiedInRules) problems.push(`"${m.label}" is in a notification rule but not verified`);
  if (!ready('high')) problems.push('no notification rule for high urgency on a verified method');
  if (!ready('low')) problems.push('no notification rule for low urgency on a verified method');
  return { high: ready('high'), low: ready('low'), problems };
}
