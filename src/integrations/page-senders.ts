import type { PageMessage, PageSenders } from '../core/escalation/index.ts';
import { createEmailSender } from './smtp/outbound.ts';
import { postWebhook } from './webhook/outbound.ts';

/** Headers that let a receiver drop a repeated delivery of one page. */
export const pageHeaders = (page: PageMessage): Record<string, string> => ({
  'Idempotency-Key': page.idempotencyKey,
  'X-Vigil-Notification-Id': page.notificationId,
});

/** The webhook body of a page. */
export const pageBody = (page: PageMessage) => ({
  type: 'vigil.page',
  notificationId: page.notificationId,
  idempotencyKey: page.idempotencyKey,
  incident: {
    id: page.incident.id,
    number: page.incident.number,
    title: page.incident.title,
    urgency: page.incident.urgency,
    url: page.incident.url,
    service: page.incident.service,
    runbookUrl: page.incident.service.runbookUrl,
  },
  message: page.text,
});

/** The channels pages go out through, from the server's configuration. */
export function createPageSenders(config: { smtpUrl: string | undefined; smtpFrom: string }): PageSenders {
  const email = config.smtpUrl ? createEmailSender(config.smtpUrl, config.smtpFrom) : null;
  return {
    async email(to, page) {
      if (!email) throw new Error('email is not configured on this server (VIGIL_SMTP_URL)');
      await email.send(to, { subject: page.subject, text: page.text, headers: pageHeaders(page) });
    },
    webhook: (url, page) => postWebhook(url, pageBody(page), { headers: pageHeaders(page) }),
  };
}
