import type { Migration } from 'kysely/migration';
import * as createIdentityAndServices from './20261122T1100-create-identity-and-services.ts';
import * as createJobs from './20261122T1200-create-jobs.ts';
import * as createAlerts from './20261122T1300-create-alerts.ts';
import * as indexAlertLogTimes from './20261201T0900-index-alert-log-times.ts';
import * as createSchedules from './20261201T1000-create-schedules.ts';
import * as createCalendarFeeds from './20261201T1100-create-calendar-feeds.ts';
import * as createEscalationPolicies from './20261201T1200-create-escalation-policies.ts';
import * as createContactMethods from './20261201T1300-create-contact-methods.ts';
import * as createEscalations from './20261201T1400-create-escalations.ts';
import * as createNotices from './20261201T1500-create-notices.ts';
import * as createServerSecrets from './20261202T0100-create-server-secrets.ts';
import * as createWebhooks from './20261202T0200-create-webhooks.ts';
import * as addContactChannels from './20261202T0300-add-contact-channels.ts';
import * as addEscalationRestarts from './20261202T0500-add-escalation-restarts.ts';

/**
 * Every migration, by timestamped name (YYYYMMDDTHHMM-verb-noun). Names sort in the order they
 * apply; add new ones at the end. They run on start (embedded and PostgreSQL) and by `vigil migrate`.
 */
export const migrations: Record<string, Migration> = {
  '20261122T1100-create-identity-and-services': createIdentityAndServices,
  '20261122T1200-create-jobs': createJobs,
  '20261122T1300-create-alerts': createAlerts,
  '20261201T0900-index-alert-log-times': indexAlertLogTimes,
  '20261201T1000-create-schedules': createSchedules,
  '20261201T1100-create-calendar-feeds': createCalendarFeeds,
  '20261201T1200-create-escalation-policies': createEscalationPolicies,
  '20261201T1300-create-contact-methods': createContactMethods,
  '20261201T1400-create-escalations': createEscalations,
  '20261201T1500-create-notices': createNotices,
  '20261202T0100-create-server-secrets': createServerSecrets,
  '20261202T0200-create-webhooks': createWebhooks,
  '20261202T0300-add-contact-channels': addContactChannels,
  '20261202T0500-add-escalation-restarts': addEscalationRestarts,
};
