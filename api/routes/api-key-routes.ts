import { z } from 'zod';
import { apiKeyViewSchema, createApiKeySchema, createdApiKeySchema } from '../../domain/api-keys.js';
import type { ApiDeps } from '../api-deps.js';
import { route, type Route } from '../openapi/route.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../../use-cases/api-keys.js';

const idParams = z.object({ id: z.uuid() });

export function apiKeyRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'post',
      path: '/v1/api-keys',
      operationId: 'createApiKey',
      summary: 'Create an API key (the key is in this response only)',
      tag: 'API keys',
      scope: 'admin',
      body: createApiKeySchema,
      responses: { 201: { description: 'Created', schema: createdApiKeySchema } },
      handle: async ({ auth, body }) => ({ status: 201, body: await createApiKey(deps, auth, body) }),
    }),
    route({
      method: 'get',
      path: '/v1/api-keys',
      operationId: 'listApiKeys',
      summary: "The organization's API keys (never the keys themselves)",
      tag: 'API keys',
      scope: 'admin',
      responses: { 200: { description: 'Keys', schema: z.object({ data: z.array(apiKeyViewSchema) }) } },
      handle: async ({ auth }) => ({ status: 200, body: await listApiKeys(deps, auth) }),
    }),
    route({
      method: 'delete',
      path: '/v1/api-keys/:id',
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      tag: 'API keys',
      scope: 'admin',
      params: idParams,
      responses: { 204: { description: 'Revoked' }, 404: { description: 'No such key' } },
      handle: async ({ auth, params }) => {
        await revokeApiKey(deps, auth, params.id);
        return { status: 204 };
      },
    }),
  ];
}
