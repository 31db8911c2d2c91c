// core/webhooks: outgoing webhook subscriptions, incident events and their signed delivery.
export {
  checkUrl,
  type Delivery,
  type DeliveryStatus,
  EVENT_TYPES,
  type EventType,
  MAX_ATTEMPTS,
  MAX_DESCRIPTION_LENGTH,
  MAX_URL_LENGTH,
  PING,
  signatureHeader,
  type Webhook,
} from './webhook.ts';
export type { WebhookRequest, WebhookResponse, WebhookSender } from './sender.ts';
export { deliveryKey, type IncidentEvent, recordIncidentEvents, WEBHOOK_DELIVER } from './record-events.ts';
export { type WebhookBody, webhookJobs } from './deliver.ts';
export { createWebhook, type CreateWebhookInput } from './create-webhook.ts';
export { listWebhooks } from './list-webhooks.ts';
export { getWebhook } from './get-webhook.ts';
export { updateWebhook } from './update-webhook.ts';
export { deleteWebhook } from './delete-webhook.ts';
export { rotateWebhookSecret } from './rotate-webhook-secret.ts';
export { listDeliveries } from './list-deliveries.ts';
export { redeliver } from './redeliver.ts';
export { testWebhook } from './test-webhook.ts';
