import { randomInt } from 'node:crypto';
import { defineFamily, type Job } from '../../engine/index.ts';
import { hashSecret } from '../shared/secrets.ts';
import type { Channels } from './channels.ts';
import { CODE_DIGITS, CODE_TTL_MS } from './contact.ts';
import { SEND_CODE_KIND, type SendCodePayload } from './send-code.ts';
import { findMethodById, setCode } from './store.ts';

export const codeHash = (methodId: string, code: string) => hashSecret(`${methodId}:${code}`);

/**
 * `contacts.send-code`: makes a code, stores its hash with an expiry (committed first, so the code
 * that arrives is the one that works), then sends it. A send that throws is retried with a new code.
 */
export const contactJobs = (channels: Channels) =>
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
      const text = `Enter ${code} in Vigil to verify "${method.label}". The code expires in ${CODE_TTL_MS / 60_000} minutes. If you did not add this contact method, ignore this message.`;
      await channels[method.type](method.address, {
        subject: `Your Vigil verification code: ${code}`,
        text,
        short: `Your Vigil code is ${code}`,
        body: { type: 'vigil.contact_verification', contactMethodId: method.id, code, message: text },
      });
    },
  });
