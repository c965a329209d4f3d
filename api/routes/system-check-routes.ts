import { z } from 'zod';
import { startSystemCheckSchema, systemCheckIdSchema } from '../../domain/system-check.js';
import type { ApiDeps } from '../api-deps.js';
import { route, type Route } from '../openapi/route.js';
import { getSystemCheck, startSystemCheck } from '../../use-cases/system-checks.js';

const systemCheckViewSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  workflowStatus: z.string(),
  record: z
    .object({ status: z.enum(['running', 'completed']), attempts: z.number().int(), workerId: z.string(), createdAt: z.iso.datetime(), completedAt: z.iso.datetime().nullable() })
    .nullable(),
});

/** End-to-end probe of the platform (api → Temporal → worker → PostgreSQL → api); not tenant data. */
export function systemCheckRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'post',
      path: '/v1/system-checks',
      operationId: 'startSystemCheck',
      summary: 'Start a system check',
      tag: 'System checks',
      scope: 'admin',
      body: startSystemCheckSchema,
      responses: { 202: { description: 'Started', schema: systemCheckViewSchema } },
      handle: async ({ body }) => {
        const view = await startSystemCheck(deps, body);
        return { status: 202, body: view, headers: { location: `/v1/system-checks/${view.id}` } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/system-checks/:id',
      operationId: 'getSystemCheck',
      summary: 'A system check and the row its activity wrote',
      tag: 'System checks',
      scope: 'read',
      params: z.object({ id: systemCheckIdSchema }),
      responses: { 200: { description: 'The check', schema: systemCheckViewSchema }, 404: { description: 'No such check' } },
      handle: async ({ params }) => ({ status: 200, body: await getSystemCheck(deps, params.id) }),
    }),
  ];
}
