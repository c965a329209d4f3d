import { z } from 'zod';
import { agentVersionViewSchema, agentViewSchema, createAgentSchema, updateAgentSchema } from '../../domain/agents.js';
import { pageQuerySchema, pageSchema } from '../../domain/pagination.js';
import type { ApiDeps } from '../api-deps.js';
import { withDefaultsAt } from '../provider-defaults-body.js';
import { route, type Route } from '../openapi/route.js';
import { createAgent, deleteAgent, getAgent, getAgentVersion, listAgents, listAgentVersions, updateAgent } from '../../use-cases/agents.js';
import { simulateAgentSchema, simulationResultSchema } from '../../domain/simulations.js';
import { simulateAgent } from '../../use-cases/simulations.js';

const idParams = z.object({ id: z.uuid() });
const tag = 'Agents';

export function agentRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'post',
      path: '/v1/agents',
      operationId: 'createAgent',
      summary: 'Create an agent (version 1)',
      tag,
      scope: 'agents:write',
      body: createAgentSchema,
      prepareBody: (raw) => withDefaultsAt(raw, 'config', deps.providerDefaults),
      responses: { 201: { description: 'Created', schema: agentViewSchema } },
      handle: async ({ auth, body }) => {
        const agent = await createAgent(deps, auth, body);
        return { status: 201, body: agent, headers: { location: `/v1/agents/${agent.id}` } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/agents',
      operationId: 'listAgents',
      summary: 'Agents, newest first',
      tag,
      scope: 'read',
      query: pageQuerySchema.strict(),
      responses: { 200: { description: 'A page of agents', schema: pageSchema(agentViewSchema) } },
      handle: async ({ auth, query }) => ({ status: 200, body: await listAgents(deps, auth, query) }),
    }),
    route({
      method: 'get',
      path: '/v1/agents/:id',
      operationId: 'getAgent',
      summary: 'An agent and its current configuration',
      tag,
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'The agent', schema: agentViewSchema }, 404: { description: 'No such agent' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await getAgent(deps, auth, params.id) }),
    }),
    route({
      method: 'patch',
      path: '/v1/agents/:id',
      operationId: 'updateAgent',
      summary: 'Change an agent: writes a new immutable version',
      tag,
      scope: 'agents:write',
      params: idParams,
      body: updateAgentSchema,
      prepareBody: (raw) => withDefaultsAt(raw, 'config', deps.providerDefaults),
      responses: { 200: { description: 'The agent at its new version', schema: agentViewSchema }, 404: { description: 'No such agent' }, 409: { description: 'Changed concurrently; retry' } },
      handle: async ({ auth, params, body }) => ({ status: 200, body: await updateAgent(deps, auth, params.id, body) }),
    }),
    route({
      method: 'delete',
      path: '/v1/agents/:id',
      operationId: 'deleteAgent',
      summary: 'Delete an agent (its versions stay for past calls; its numbers stop answering)',
      tag,
      scope: 'agents:write',
      params: idParams,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'No such agent' } },
      handle: async ({ auth, params }) => {
        await deleteAgent(deps, auth, params.id);
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/v1/agents/:id/versions',
      operationId: 'listAgentVersions',
      summary: "An agent's versions, newest first",
      tag,
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'Versions', schema: z.object({ data: z.array(agentVersionViewSchema) }) }, 404: { description: 'No such agent' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await listAgentVersions(deps, auth, params.id) }),
    }),
    route({
      method: 'get',
      path: '/v1/agents/:id/versions/:version',
      operationId: 'getAgentVersion',
      summary: 'One version of an agent',
      tag,
      scope: 'read',
      params: z.object({ id: z.uuid(), version: z.coerce.number().int().min(1).max(1_000_000) }),
      responses: { 200: { description: 'The version', schema: agentVersionViewSchema }, 404: { description: 'No such agent or version' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await getAgentVersion(deps, auth, params.id, params.version) }),
    }),
      route({
      method: 'post',
      path: '/v1/agents/:id/simulate',
      operationId: 'simulateAgent',
      summary: 'Run a text conversation with a scripted caller through the real call workflow (graph, tools, transitions)',
      tag,
      scope: 'calls:write',
      params: idParams,
      body: simulateAgentSchema,
      responses: { 200: { description: 'How the conversation went', schema: simulationResultSchema }, 404: { description: 'No such agent or version' } },
      handle: async ({ auth, params, body }) => ({ status: 200, body: await simulateAgent(deps, auth, params.id, body) }),
    }),
  ];
}
