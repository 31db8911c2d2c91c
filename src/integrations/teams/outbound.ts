import type { OutboundMessage } from '../../core/contacts/index.ts';
import { LINK_TITLES, linksOf, type MessageLinks, sendRequest } from '../shared/send.ts';

// Adaptive Card text is markdown: an alert title must not turn into a link or formatting.
const plain = (s: string) => s.replace(/([\\`*_[\]()#>~|])/g, '\\$1');

/**
 * A Teams message with one Adaptive Card: the subject in bold, the text, and its links
 * (incident, runbook, acknowledge, resolve) as buttons that open the URL. The `message` envelope
 * is what both Workflows ("When a Teams webhook request is received") and the older incoming
 * webhook connectors take.
 */
export function renderTeams(message: OutboundMessage): Record<string, unknown> {
  const links = linksOf(message.body);
  const actions = (Object.keys(LINK_TITLES) as (keyof MessageLinks)[])
    .filter((k) => links[k])
    .map((k) => ({ type: 'Action.OpenUrl', title: LINK_TITLES[k], url: links[k] }));
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: plain(message.subject), weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: plain(message.text), wrap: true },
          ],
          ...(actions.length ? { actions } : {}),
        },
      },
    ],
  };
}

/**
 * POSTs the card to a Teams incoming webhook. Anything but a 2xx throws (the engine retries); so
 * does a 2xx whose body reports an error, which the older connectors answer on a throttled post.
 */
export async function postTeams(url: string, message: OutboundMessage, options: { timeoutMs?: number } = {}): Promise<void> {
  const answer = await sendRequest(url, {
    headers: { 'content-type': 'application/json', ...message.headers },
    body: JSON.stringify(renderTeams(message)),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const host = new URL(url).host;
  if (answer.status < 200 || answer.status >= 300) throw new Error(`Teams webhook ${host} answered ${answer.status}: ${answer.text.slice(0, 100)}`);
  if (/error/i.test(answer.text)) throw new Error(`Teams webhook ${host} reported: ${answer.text.slice(0, 100)}`);
}
