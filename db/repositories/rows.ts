/** Stored rows as repositories return them, for the use-cases that turn them into views. */
export type {
  Agent,
  AgentVersion,
  ApiKey,
  Call,
  CallRerun,
  Campaign,
  PhoneNumber,
  PostCallAnalysis,
  ProviderCredential,
  Tool,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookEndpoint,
} from '../../generated/prisma/client.js';
