import type { ContactSenders } from '../core/contacts/index.ts';
import { createEmailSender } from './smtp/outbound.ts';
import { postWebhook } from './webhook/outbound.ts';

/** The channels contact-method messages go out through, from the server's configuration. */
export function createContactSenders(config: { smtpUrl: string | undefined; smtpFrom: string }): ContactSenders {
  const email = config.smtpUrl ? createEmailSender(config.smtpUrl, config.smtpFrom) : null;
  return {
    async email(to, message) {
      if (!email) throw new Error('email is not configured on this server (VIGIL_SMTP_URL)');
      await email.send(to, { subject: message.subject, text: message.text });
    },
    webhook: (url, message) =>
      postWebhook(url, { type: 'vigil.contact_verification', contactMethodId: message.contactMethodId, code: message.code, message: message.text }),
  };
}
