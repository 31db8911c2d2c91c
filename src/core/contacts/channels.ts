import type { ContactType } from '../../storage/schema.ts';

/**
 * One message to one contact method. Whoever sends (a verification code, a page, a handoff
 * notice) says everything; a channel only delivers what it can carry: email the subject, text and
 * headers, a webhook the JSON body and headers, Slack and Teams the subject, text and the links in
 * the body, SMS and voice the short form.
 */
export interface OutboundMessage {
  subject: string;
  text: string;
  /**
   * What SMS says and a call reads out: one line, at most 160 GSM characters where it can be (one
   * text). Without it they send the subject.
   */
  short?: string;
  /**
   * What a webhook receives; carries `type` (`vigil.page`, …) and `message` (the text). Slack and
   * Teams show its links as well: `incident.url`, `incident.runbookUrl`, `actions.acknowledge`,
   * `actions.resolve`.
   */
  body: Record<string, unknown> & { type: string; message: string };
  /** Sent as email and HTTP headers, e.g. an `Idempotency-Key` receivers drop repeats by. */
  headers?: Record<string, string>;
}

/** The outbound channels, implemented in src/integrations and handed over by the composition root. */
export type Channels = Record<ContactType, (address: string, message: OutboundMessage) => Promise<void>>;

/** One text: what fits a single SMS. */
export const SHORT_MAX = 160;

/**
 * A short form of `head` + `title` + `tail` (e.g. "Vigil #12 high:", a title, a URL) that fits one
 * text: the title is cut, with an ellipsis, never the head or the link.
 */
export function shortForm(head: string, title: string, tail: string): string {
  const room = SHORT_MAX - head.length - tail.length - 2;
  const t = title.replace(/\s+/g, ' ').trim();
  const cut = t.length <= room ? t : `${t.slice(0, Math.max(0, room - 3)).trimEnd()}...`;
  return [head, cut, tail].filter(Boolean).join(' ');
}
