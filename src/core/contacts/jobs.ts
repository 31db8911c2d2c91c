import { randomInt } from 'node:crypto';
import { defineFamily, type Job } from '../../engine/index.ts';
import type { ContactType } from '../../storage/schema.ts';
import { hashSecret } from '../shared/secrets.ts';
import { CODE_DIGITS, CODE_TTL_MS } from './contact.ts';
import { SEND_CODE_KIND, type SendCodePayload } from './send-code.ts';
import { findMethodById, setCode } from './store.ts';

/** What a verification message says; each channel formats it its own way. */
export interface VerificationMessage {
  code: string;
  subject: string;
  text: string;
  contactMethodId: string;
}

/** The outbound channels, implemented in src/integrations and handed over by the composition root. */
export type ContactSenders = Record<ContactType, (address: string, message: VerificationMessage) => Promise<void>>;

export const codeHash = (methodId: string, code: string) => hashSecret(`${methodId}:${code}`);

/**
 * `contacts.send-code`: makes a code, stores its hash with an expiry (committed first, so the code
 * that arrives is the one that works), then sends it. A send that throws is retried with a new code.
 */
export const contactJobs = (senders: ContactSenders) =>
  defineFamily('contacts', 1, {
    [SEND_CODE_KIND]: async (job: Job<SendCodePayload>, { db, clock }) => {
      const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
      const now = clock.now();
      const method = await db.transaction().execute(async (tx) => {
        const m = await findMethodById(tx, job.payload.methodId);
        if (!m || m.verified_at) return null;
        await setCode(tx, m.id, { hash: codeHash(m.id, code), expiresAt: new Date(now.getTime() + CODE_TTL_MS), sentAt: now });
        return m;
      });
      if (!method) return;
      await senders[method.type](method.address, {
        code,
        contactMethodId: method.id,
        subject: `Your Vigil verification code: ${code}`,
        text: `Enter ${code} in Vigil to verify "${method.label}". The code expires in ${CODE_TTL_MS / 60_000} minutes. If you did not add this contact method, ignore this message.`,
      });
    },
  });
