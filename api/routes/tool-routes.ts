import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../domain/pagination.js';
import { toolDefinitionSchema, toolViewSchema } from '../../domain/tools.js';
import type { ApiDeps } from '../api-deps.js';
import { route, type Route } from '../openapi/route.js';
import { createTool, deleteTool, getTool, listTools, replaceTool } from '../../use-cases/tools.js';

const idParams = z.object({ id: z.uuid() });
const tag = 'Tools';

/** The organization's tools; agents name them in `config.tools` and copy them into each version. */
export function toolRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'post',
      path: '/v1/tools',
      operationId: 'createTool',
      summary: 'Create a tool (HTTP, MCP server, Nango action or built-in)',
      tag,
      scope: 'agents:write',
      body: toolDefinitionSchema,
      responses: { 201: { description: 'Created', schema: toolViewSchema }, 409: { description: 'The name is taken' } },
      handle: async ({ auth, body }) => {
        const tool = await createTool(deps, auth, body);
        return { status: 201, body: tool, headers: { location: `/v1/tools/${tool.id}` } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/tools',
      operationId: 'listTools',
      summary: 'Tools, newest first',
      tag,
      scope: 'read',
      query: pageQuerySchema.strict(),
      responses: { 200: { description: 'A page of tools', schema: pageSchema(toolViewSchema) } },
      handle: async ({ auth, query }) => ({ status: 200, body: await listTools(deps, auth, query) }),
    }),
    route({
      method: 'get',
      path: '/v1/tools/:id',
      operationId: 'getTool',
      summary: 'One tool',
      tag,
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'The tool', schema: toolViewSchema }, 404: { description: 'No such tool' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await getTool(deps, auth, params.id) }),
    }),
    route({
      method: 'put',
      path: '/v1/tools/:id',
      operationId: 'replaceTool',
      summary: 'Replace a tool (saved agent versions keep their copy)',
      tag,
      scope: 'agents:write',
      params: idParams,
      body: toolDefinitionSchema,
      responses: { 200: { description: 'Replaced', schema: toolViewSchema }, 404: { description: 'No such tool' }, 409: { description: 'The name is taken' } },
      handle: async ({ auth, params, body }) => ({ status: 200, body: await replaceTool(deps, auth, params.id, body) }),
    }),
    route({
      method: 'delete',
      path: '/v1/tools/:id',
      operationId: 'deleteTool',
      summary: 'Delete a tool',
      tag,
      scope: 'agents:write',
      params: idParams,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'No such tool' } },
      handle: async ({ auth, params }) => {
        await deleteTool(deps, auth, params.id);
        return { status: 204 };
      },
    }),
  ];
}
