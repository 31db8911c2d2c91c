import type { OutboundMessage } from '../../core/contacts/index.ts';
import { LINK_TITLES, linksOf, type MessageLinks, sendRequest } from '../shared/send.ts';

/** A Slack message: `text` is the notification and fallback, `blocks` what the client shows. */
export interface SlackMessage {
  text: string;
  blocks?: unknown[];
}

/** Slack's mrkdwn treats only these three as control characters. */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A message as Slack shows it: the text, then its links (incident, runbook, acknowledge, resolve)
 * as mrkdwn links in one line. Links rather than buttons: a link button still posts an
 * interaction to the app, which a bot or webhook without an interactivity URL answers with an error.
 */
export function renderSlack(message: OutboundMessage): SlackMessage {
  const links = linksOf(message.body);
  const keys = (Object.keys(LINK_TITLES) as (keyof MessageLinks)[]).filter((k) => links[k]);
  if (keys.length === 0) return { text: escape(message.text) };
  const line = keys.map((k) => `<${escape(links[k]!).replace(/\|/g, '%7C')}|${LINK_TITLES[k]}>`).join('  ·  ');
  return {
    text: escape(message.subject),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escape(message.subject)}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: escape(message.text).slice(0, 2900) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: line }] },
    ],
  };
}

export interface SlackBot {
  /** Posts to a member (as a direct message from the bot) or a channel the bot is in. */
  post(channel: string, message: SlackMessage, headers?: Record<string, string>): Promise<void>;
}

/**
 * Slack's Web API `chat.postMessage` with the bot token. Slack answers 200 with `ok: false` and an
 * error name (`channel_not_found`, `not_in_channel`, `invalid_auth`) for most failures: those
 * throw, as does any other status, and the engine job that sent the message retries.
 */
export function createSlackBot(options: { apiUrl: string; token: string; timeoutMs?: number }): SlackBot {
  const endpoint = `${options.apiUrl.replace(/\/+$/, '')}/chat.postMessage`;
  return {
    async post(channel, message, headers) {
      const answer = await sendRequest(endpoint, {
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${options.token}`, ...headers },
        body: JSON.stringify({ channel, ...message, unfurl_links: false }),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      });
      if (answer.status !== 200) throw new Error(`Slack answered ${answer.status}${answer.status === 429 ? ' (rate limited)' : ''}`);
      let parsed: { ok?: unknown; error?: unknown };
      try {
        parsed = JSON.parse(answer.text);
      } catch {
        throw new Error('Slack answered something that is not JSON');
      }
      if (parsed.ok !== true) throw new Error(`Slack refused the message: ${typeof parsed.error === 'string' ? parsed.error.slice(0, 100) : 'no error given'}`);
    },
  };
}

/** An incoming-webhook POST; Slack answers `ok`, or 4xx with `invalid_payload`, `no_service`, …. */
export async function postSlackWebhook(url: string, message: SlackMessage, options: { timeoutMs?: number; headers?: Record<string, string> } = {}): Promise<void> {
  const answer = await sendRequest(url, {
    headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers },
    body: JSON.stringify(message),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (answer.status < 200 || answer.status >= 300) throw new Error(`Slack webhook ${new URL(url).host} answered ${answer.status}: ${answer.text.slice(0, 100)}`);
}
