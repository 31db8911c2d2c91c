import type { Channels } from '../core/contacts/index.ts';
import { createSlackBot, postSlackWebhook, renderSlack } from './slack/outbound.ts';
import { createEmailSender } from './smtp/outbound.ts';
import { postTeams } from './teams/outbound.ts';
import { createPhoneSender } from './twilio/outbound.ts';
import { postWebhook } from './webhook/outbound.ts';

export interface ChannelsConfig {
  smtpUrl: string | undefined;
  smtpFrom: string;
  slackBotToken?: string | undefined;
  slackApiUrl?: string;
  twilioAccountSid?: string | undefined;
  twilioAuthToken?: string | undefined;
  twilioFrom?: string | undefined;
  twilioBaseUrl?: string;
}

/** The channels every message to a person goes out through, from the server's configuration. */
export function createChannels(config: ChannelsConfig): Channels {
  const email = config.smtpUrl ? createEmailSender(config.smtpUrl, config.smtpFrom) : null;
  const slack = config.slackBotToken ? createSlackBot({ apiUrl: config.slackApiUrl ?? 'https://slack.com/api', token: config.slackBotToken }) : null;
  const phone =
    config.twilioAccountSid && config.twilioAuthToken && config.twilioFrom
      ? createPhoneSender({ baseUrl: config.twilioBaseUrl ?? 'https://api.twilio.com', accountSid: config.twilioAccountSid, authToken: config.twilioAuthToken, from: config.twilioFrom })
      : null;
  const headersOf = (h: Record<string, string> | undefined) => (h ? { headers: h } : {});
  return {
    async email(to, message) {
      if (!email) throw new Error('email is not configured on this server (VIGIL_SMTP_URL)');
      await email.send(to, { subject: message.subject, text: message.text, ...headersOf(message.headers) });
    },
    webhook: (url, message) => postWebhook(url, message.body, headersOf(message.headers)),
    async slack(channel, message) {
      if (!slack) throw new Error('Slack is not configured on this server (VIGIL_SLACK_BOT_TOKEN)');
      await slack.post(channel, renderSlack(message), message.headers);
    },
    slack_webhook: (url, message) => postSlackWebhook(url, renderSlack(message), headersOf(message.headers)),
    teams: (url, message) => postTeams(url, message),
    async sms(to, message) {
      if (!phone) throw new Error('SMS is not configured on this server (VIGIL_TWILIO_ACCOUNT_SID)');
      await phone.sms(to, message);
    },
    async voice(to, message) {
      if (!phone) throw new Error('voice is not configured on this server (VIGIL_TWILIO_ACCOUNT_SID)');
      await phone.call(to, message);
    },
  };
}
