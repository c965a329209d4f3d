import { z } from 'zod';

/** Every event the platform sends to webhook endpoints. */
export const webhookEventTypes = [
  'call.started',
  'call.ended',
  'analysis.completed',
  'analysis.failed',
  'campaign.completed',
  'campaign.canceled',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** The body of every delivery: `id` is the event's, the same on every delivery and redelivery of it. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  organizationId: string;
  data: Record<string, unknown>;
}

const webhookUrlSchema = z
  .url({ protocol: /^https?$/, error: 'an http(s) URL' })
  .max(2_000)
  // Refinements run even when the URL check failed: only a parsable URL is looked into.
  .refine((url) => !URL.canParse(url) || (!new URL(url).username && !new URL(url).password), 'no credentials in the URL: the payload is signed instead');

const eventTypesSchema = z
  .array(z.union([z.enum(webhookEventTypes), z.literal('*')]))
  .min(1)
  .max(webhookEventTypes.length + 1)
  .refine((types) => new Set(types).size === types.length, 'event types must be unique');

export const createWebhookSchema = z
  .object({
    url: webhookUrlSchema,
    description: z.string().max(500).optional(),
    /** Event types to send, or `*` for all. */
    eventTypes: eventTypesSchema,
    enabled: z.boolean().default(true),
  })
  .strict();

export const updateWebhookSchema = z
  .object({ url: webhookUrlSchema, description: z.string().max(500).nullable(), eventTypes: eventTypesSchema, enabled: z.boolean() })
  .partial()
  .strict();

export const webhookViewSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.iso.datetime(),
});

/** Only when the endpoint is created: the signing secret is never shown again. */
export const createdWebhookViewSchema = webhookViewSchema.extend({
  secret: z.string().describe('Standard Webhooks signing secret (`whsec_…`): verify `webhook-signature` with it'),
});

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;

export const webhookAttemptViewSchema = z.object({
  attempt: z.number().int(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  at: z.iso.datetime(),
});

export const webhookDeliveryViewSchema = z.object({
  id: z.uuid(),
  endpointId: z.uuid(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(webhookDeliveryStatuses),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  redeliveryOf: z.uuid().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

export const webhookDeliveryDetailSchema = webhookDeliveryViewSchema.extend({
  payload: z.record(z.string(), z.unknown()),
  log: z.array(webhookAttemptViewSchema),
});

export const deliveryQuerySchema = z
  .object({ status: z.enum(webhookDeliveryStatuses).optional(), eventType: z.string().max(100).optional() })
  .strict();

/** Starts the durable delivery of one stored delivery row; starting one already started is a no-op. */
export type StartWebhookDelivery = (deliveryId: string) => Promise<void>;

export interface WebhookDeliveryInput {
  deliveryId: string;
  /** Retried with exponential backoff for this long, then marked failed. */
  retryForMs: number;
}
