import { z, type ZodObject, type ZodType } from 'zod';
import { apiKeyScopes } from '../../domain/api-keys.js';
import type { Route } from './route.js';

export const errorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
  requestId: z.string(),
});

/** The error answers any authenticated route may give, besides its own. */
const commonErrors: Record<number, string> = {
  400: 'The request is not valid (`code`: validation_failed, invalid_json, ...)',
  401: 'No valid API key',
  403: 'The API key lacks the scope',
  413: 'The body is too large',
  429: 'Over the rate limit; see Retry-After',
};

function jsonSchema(schema: ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: ZodType | undefined, where: 'path' | 'query'): object[] {
  if (!schema) return [];
  const shape = (schema as ZodObject).shape as Record<string, ZodType>;
  return Object.entries(shape).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !field.safeParse(undefined).success,
    schema: jsonSchema(field, 'input'),
    ...(field.description ? { description: field.description } : {}),
  }));
}

/** OpenAPI 3.1 (whose schemas are JSON Schema 2020-12) for the given routes. */
export function buildOpenApiDocument(routes: Route[], info: { version: string; serverUrl?: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const definition of routes) {
    const path = definition.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(definition.responses)) {
      const contentType = response.contentType ?? 'application/json';
      const schema = response.schema ? jsonSchema(response.schema, 'output') : Number(status) >= 400 ? { $ref: '#/components/schemas/Error' } : contentType === 'application/json' ? undefined : { type: 'string' };
      responses[status] = { description: response.description, ...(schema ? { content: { [contentType]: { schema } } } : {}) };
    }
    if (definition.scope !== 'public') {
      for (const [status, description] of Object.entries(commonErrors)) {
        responses[status] ??= { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
      }
    }
    if (definition.method === 'post' && definition.scope !== 'public') {
      responses['409'] ??= { description: 'A request with this Idempotency-Key is still being handled', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
      responses['422'] ??= { description: 'This Idempotency-Key was used with another request', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    paths[path] ??= {};
    paths[path][definition.method] = {
      operationId: definition.operationId,
      summary: definition.summary,
      tags: [definition.tag],
      ...(definition.scope === 'public' ? { security: [] } : { 'x-required-scope': definition.scope }),
      parameters: [
        ...parameters(definition.params, 'path'),
        ...parameters(definition.query, 'query'),
        ...(definition.method === 'post' && definition.scope !== 'public'
          ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 200 }, description: 'The same key returns the same response and causes no second side effect (kept 24 h).' }]
          : []),
      ],
      ...(definition.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: jsonSchema(definition.body, 'input') },
                ...(definition.acceptsText ? { [definition.acceptsText]: { schema: { type: 'string' } } } : {}),
              },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Voice platform API',
      version: info.version,
      description: `Agents, phone numbers and calls. Authenticate with \`Authorization: Bearer <API key>\`; scopes: ${apiKeyScopes.join(', ')} (admin grants all; every key may read).`,
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (vk_...)' } },
      schemas: { Error: jsonSchema(errorBodySchema, 'output') },
    },
    paths,
  };
}
