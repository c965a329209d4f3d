import { z } from 'zod';
import type { ApiDeps } from '../api-deps.js';
import { route, type Route } from '../openapi/route.js';

const CHECK_TIMEOUT_MS = 3_000;

const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  code: z.literal('dependency_unavailable').optional(),
  checks: z.object({ temporal: z.string(), database: z.string() }),
});

/** /healthz: the process is up. /readyz: Temporal and PostgreSQL answer. */
export function healthRoutes({ temporal, prisma, config }: ApiDeps): Route[] {
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
        const [temporalCheck, databaseCheck] = await Promise.all([
          probe(() => temporal.connection.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE })),
          probe(() => prisma.$queryRaw`SELECT 1`),
        ]);
        const ready = temporalCheck === 'ok' && databaseCheck === 'ok';
        return {
          status: ready ? 200 : 503,
          body: { status: ready ? 'ready' : 'not_ready', ...(ready ? {} : { code: 'dependency_unavailable' }), checks: { temporal: temporalCheck, database: databaseCheck } },
        };
      },
    }),
  ];
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (error) {
    return `error: ${((error as Error).message ?? String(error)).split('\n')[0]}`;
  } finally {
    clearTimeout(timer);
  }
}
