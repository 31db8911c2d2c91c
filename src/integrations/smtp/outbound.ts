import nodemailer from 'nodemailer';

export interface EmailMessage {
  subject: string;
  text: string;
  /** Extra headers, e.g. an idempotency key (`X-Vigil-Message-Id`). */
  headers?: Record<string, string>;
}

export interface EmailSender {
  send(to: string, message: EmailMessage): Promise<void>;
  close(): void;
}

/**
 * Email through one SMTP server (`VIGIL_SMTP_URL`: `smtp://user:pass@host:587`, `smtps://…:465`),
 * over a small pool of connections. A refused recipient or an unreachable server throws, and the
 * engine job that sent it retries.
 */
export function createEmailSender(url: string, from: string): EmailSender {
  const transport = nodemailer.createTransport(url, { from });
  // A pool would keep connections open; the URL may ask for one (`?pool=true`).
  return {
    async send(to, message) {
      await transport.sendMail({ to, subject: message.subject, text: message.text, ...(message.headers ? { headers: message.headers } : {}) });
    },
    close: () => transport.close(),
  };
}
