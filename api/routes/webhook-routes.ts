import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../domain/pagination.js';
import {
  createdWebhookViewSchema,
  createWebhookSchema,
  deliveryQuerySchema,
  updateWebhookSchema,
  webhookDeliveryDetailSchema,
  webhookDeliveryViewSchema,
  webhookViewSchema,
} from '../../domain/webhooks.js';
import type { ApiDeps } from '../api-deps.js';
import { route, type Route } from '../openapi/route.js';
import { createWebhook, deleteWebhook, getDelivery, getWebhook, listDeliveries, listWebhooks, redeliver, updateWebhook } from '../../use-cases/webhooks.js';

const idParams = z.object({ id: z.uuid() });
const tag = 'Webhooks';

export function webhookRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'post',
      path: '/v1/webhooks',
      operationId: 'createWebhook',
      summary: 'Subscribe an endpoint to events; deliveries are signed (Standard Webhooks) with the secret returned here once',
      tag,
      scope: 'admin',
      body: createWebhookSchema,
      responses: { 201: { description: 'Subscribed', schema: createdWebhookViewSchema } },
      handle: async ({ auth, body }) => ({ status: 201, body: await createWebhook(deps, auth, body) }),
    }),
    route({
      method: 'get',
      path: '/v1/webhooks',
      operationId: 'listWebhooks',
      summary: 'Webhook endpoints, newest first',
      tag,
      scope: 'read',
      query: pageQuerySchema.strict(),
      responses: { 200: { description: 'A page of endpoints', schema: pageSchema(webhookViewSchema) } },
      handle: async ({ auth, query }) => ({ status: 200, body: await listWebhooks(deps, auth, query) }),
    }),
    route({
      method: 'get',
      path: '/v1/webhooks/:id',
      operationId: 'getWebhook',
      summary: 'One webhook endpoint',
      tag,
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'The endpoint', schema: webhookViewSchema }, 404: { description: 'No such endpoint' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await getWebhook(deps, auth, params.id) }),
    }),
    route({
      method: 'patch',
      path: '/v1/webhooks/:id',
      operationId: 'updateWebhook',
      summary: 'Change the URL, the event types, or disable the endpoint',
      tag,
      scope: 'admin',
      params: idParams,
      body: updateWebhookSchema,
      responses: { 200: { description: 'The endpoint', schema: webhookViewSchema }, 404: { description: 'No such endpoint' } },
      handle: async ({ auth, params, body }) => ({ status: 200, body: await updateWebhook(deps, auth, params.id, body) }),
    }),
    route({
      method: 'delete',
      path: '/v1/webhooks/:id',
      operationId: 'deleteWebhook',
      summary: 'Remove an endpoint and its delivery log',
      tag,
      scope: 'admin',
      params: idParams,
      responses: { 204: { description: 'Removed' }, 404: { description: 'No such endpoint' } },
      handle: async ({ auth, params }) => {
        await deleteWebhook(deps, auth, params.id);
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/v1/webhooks/:id/deliveries',
      operationId: 'listWebhookDeliveries',
      summary: "The endpoint's delivery log, newest first",
      tag,
      scope: 'read',
      params: idParams,
      query: pageQuerySchema.extend(deliveryQuerySchema.shape).strict(),
      responses: { 200: { description: 'A page of deliveries', schema: pageSchema(webhookDeliveryViewSchema) }, 404: { description: 'No such endpoint' } },
      handle: async ({ auth, params, query }) => ({ status: 200, body: await listDeliveries(deps, auth, params.id, query) }),
    }),
    route({
      method: 'get',
      path: '/v1/webhook-deliveries/:id',
      operationId: 'getWebhookDelivery',
      summary: 'One delivery: the payload sent and every attempt',
      tag,
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'The delivery', schema: webhookDeliveryDetailSchema }, 404: { description: 'No such delivery' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await getDelivery(deps, auth, params.id) }),
    }),
    route({
      method: 'post',
      path: '/v1/webhook-deliveries/:id/redeliver',
      operationId: 'redeliverWebhook',
      summary: 'Send the event again, as a new delivery with the same event id',
      tag,
      scope: 'admin',
      params: idParams,
      responses: {
        202: { description: 'Queued', schema: webhookDeliveryDetailSchema },
        404: { description: 'No such delivery' },
        409: { description: 'The endpoint is disabled' },
      },
      handle: async ({ auth, params }) => ({ status: 202, body: await redeliver(deps, auth, params.id) }),
    }),
  ];
}
