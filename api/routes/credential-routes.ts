import { z } from 'zod';
import { credentialProviders, credentialViewSchema, putCredentialSchema, putSecretSchema, secretNameSchema, secretViewSchema } from '../../domain/credentials.js';
import type { ApiDeps } from '../api-deps.js';
import { route, type Route } from '../openapi/route.js';
import { deleteCredential, deleteSecret, listCredentials, listSecrets, putCredential, putSecret } from '../../use-cases/credentials.js';

const providerParams = z.object({ provider: z.enum(credentialProviders) });
const tag = 'Provider credentials';
const secretParams = z.object({ name: secretNameSchema });

export function credentialRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'put',
      path: '/v1/credentials/:provider',
      operationId: 'putCredential',
      summary: "Set the organization's key for a vendor (stored encrypted, never returned)",
      tag,
      scope: 'admin',
      params: providerParams,
      body: putCredentialSchema,
      responses: { 200: { description: 'Stored', schema: credentialViewSchema }, 503: { description: 'No encryption key is configured' } },
      handle: async ({ auth, params, body }) => ({ status: 200, body: await putCredential(deps, auth, params.provider, body) }),
    }),
    route({
      method: 'get',
      path: '/v1/credentials',
      operationId: 'listCredentials',
      summary: 'Which vendors have a key (hints only)',
      tag,
      scope: 'read',
      responses: { 200: { description: 'Credentials', schema: z.object({ data: z.array(credentialViewSchema) }) } },
      handle: async ({ auth }) => ({ status: 200, body: await listCredentials(deps, auth) }),
    }),
    route({
      method: 'delete',
      path: '/v1/credentials/:provider',
      operationId: 'deleteCredential',
      summary: "Remove the organization's key for a vendor",
      tag,
      scope: 'admin',
      params: providerParams,
      responses: { 204: { description: 'Removed' }, 404: { description: 'None set' } },
      handle: async ({ auth, params }) => {
        await deleteCredential(deps, auth, params.provider);
        return { status: 204 };
      },
    }),
      route({
      method: 'put',
      path: '/v1/secrets/:name',
      operationId: 'putSecret',
      summary: 'Set a secret that tool templates use as {{secret.NAME}} (stored encrypted, never returned)',
      tag,
      scope: 'admin',
      params: secretParams,
      body: putSecretSchema,
      responses: { 200: { description: 'Stored', schema: secretViewSchema }, 503: { description: 'No encryption key is configured' } },
      handle: async ({ auth, params, body }) => ({ status: 200, body: await putSecret(deps, auth, params.name, body) }),
    }),
    route({
      method: 'get',
      path: '/v1/secrets',
      operationId: 'listSecrets',
      summary: 'Secret names (hints only)',
      tag,
      scope: 'read',
      responses: { 200: { description: 'Secrets', schema: z.object({ data: z.array(secretViewSchema) }) } },
      handle: async ({ auth }) => ({ status: 200, body: await listSecrets(deps, auth) }),
    }),
    route({
      method: 'delete',
      path: '/v1/secrets/:name',
      operationId: 'deleteSecret',
      summary: 'Remove a secret',
      tag,
      scope: 'admin',
      params: secretParams,
      responses: { 204: { description: 'Removed' }, 404: { description: 'None set' } },
      handle: async ({ auth, params }) => {
        await deleteSecret(deps, auth, params.name);
        return { status: 204 };
      },
    }),
  ];
}
