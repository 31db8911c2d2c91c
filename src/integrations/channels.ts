import type { Channels } from '../core/contacts/index.ts';
import { createEmailSender } from './smtp/outbound.ts';
import { postWebhook } from './webhook/outbound.ts';

/** The channels every message to a person goes out through, from the server's configuration. */
export function createChannels(config: { smtpUrl: string | undefined; smtpFrom: string }): Channels {
  const email = config.smtpUrl ? createEmailSender(config.smtpUrl, config.smtpFrom) : null;
  return {
    async email(to, message) {
      if (!email) throw new Error('email is not configured on this server (VIGIL_SMTP_URL)');
      await email.send(to, { subject: message.subject, text: message.text, ...(message.headers ? { headers: message.headers } : {}) });
    },
    webhook: (url, message) => postWebhook(url, message.body, message.headers ? { headers: message.headers } : {}),
  };
}
