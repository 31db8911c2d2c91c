import type { FieldError } from '../shared/errors.ts';
import { randomString } from '../shared/secrets.ts';

/** Like PagerDuty's routing keys: 32 characters, here [a-z0-9] (~165 bits), usable in a URL as is. */
export const INTEGRATION_KEY_LENGTH = 32;
export const newIntegrationKey = (): string => randomString(INTEGRATION_KEY_LENGTH);

export interface IntegrationKey {
  id: string;
  name: string;
  /** Null when the reader may not see keys (observers); `keyPreview` is always there. */
  key: string | null;
  keyPreview: string;
  createdAt: Date;
}

export interface Service {
  id: string;
  name: string;
  description: string;
  teamId: string | null;
  teamName: string | null;
  runbookUrl: string | null;
  /** The escalation policy this service pages through (core/escalation); null: it pages nobody. */
  escalationPolicyId: string | null;
  createdAt: Date;
  updatedAt: Date;
  integrationKeys: IntegrationKey[];
}

export const previewKey = (key: string): string => `${key.slice(0, 4)}…${key.slice(-4)}`;

/** Runbook links are shown to responders at 3 a.m.: only http(s), never javascript: or data:. */
export function checkRunbookUrl(value: string, field = 'runbookUrl'): FieldError | null {
  if (value.length > 2048) return { field, reason: 'must be at most 2048 characters' };
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? null : { field, reason: 'must be an http or https URL' };
  } catch {
    return { field, reason: 'must be an absolute URL (https://…)' };
  }
}

export function checkDescription(value: string, field = 'description'): FieldError | null {
  return value.length > 2000 ? { field, reason: 'must be at most 2000 characters' } : null;
}
