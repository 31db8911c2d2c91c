import type { ContactType } from '../../storage/schema.ts';

/**
 * One message to one contact method. Whoever sends (a verification code, a page, a handoff
 * notice) says everything; a channel only delivers what it can carry: email the subject, text and
 * headers, a webhook the JSON body and headers.
 */
export interface OutboundMessage {
  subject: string;
  text: string;
  /** What a webhook receives; carries `type` (`vigil.page`, …) and `message` (the text). */
  body: Record<string, unknown> & { type: string; message: string };
  /** Sent as email and HTTP headers, e.g. an `Idempotency-Key` receivers drop repeats by. */
  headers?: Record<string, string>;
}

/** The outbound channels, implemented in src/integrations and handed over by the composition root. */
export type Channels = Record<ContactType, (address: string, message: OutboundMessage) => Promise<void>>;
