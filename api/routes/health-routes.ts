import { z } from 'zod';
import { checkReadiness } from '../../use-cases/readiness.js';
import type { ApiDeps } from '../api-deps.js';
import { route, type Route } from '../openapi/route.js';

const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  code: z.literal('dependency_unavailable').optional(),
  checks: z.object({ temporal: z.string(), database: z.string() }),
});

/** /healthz: the process is up. /readyz: Temporal and PostgreSQL answer. */
export function healthRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'The api process is up',
      tag: 'Health',
      scope: 'public',
      responses: { 200: { description: 'Up', schema: z.object({ status: z.literal('ok') }) } },
      handle: async () => ({ status: 200, body: { status: 'ok' } }),
    }),
    route({
      method: 'get',
      path: '/readyz',
      operationId: 'readiness',
      summary: 'Temporal and PostgreSQL answer',
      tag: 'Health',
      scope: 'public',
      responses: { 200: { description: 'Ready', schema: readinessSchema }, 503: { description: 'A dependency does not answer', schema: readinessSchema } },
      handle: async () => {
        const checks = await checkReadiness(deps);
        const ready = checks.temporal === 'ok' && checks.database === 'ok';
        return {
          status: ready ? 200 : 503,
          body: { status: ready ? 'ready' : 'not_ready', ...(ready ? {} : { code: 'dependency_unavailable' }), checks },
        };
      },
    }),
  ];
}
