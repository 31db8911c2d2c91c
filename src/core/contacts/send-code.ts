import { scheduleJob } from '../../engine/index.ts';
import type { Tx } from '../shared/context.ts';

export const SEND_CODE_KIND = 'contacts.send-code';

export interface SendCodePayload {
  methodId: string;
}

/**
 * Sends a method a new verification code, from the engine: the code is made and its hash stored
 * by the job, so no code is ever written down in plain text, and a failed send is retried.
 */
export const scheduleCode = (tx: Tx, methodId: string, now: Date) =>
  scheduleJob(tx, { kind: SEND_CODE_KIND, key: `contact-code:${methodId}`, keyMode: 'replace', runAt: now, payload: { methodId } satisfies SendCodePayload, maxAttempts: 5, now });
