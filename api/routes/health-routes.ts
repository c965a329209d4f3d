import { Router } from 'express';
import type { ApiDeps } from '../api-deps.js';

const CHECK_TIMEOUT_MS = 3_000;

/** /healthz: the process is up. /readyz: Temporal and PostgreSQL answer. */
export function healthRoutes({ temporal, prisma, config }: ApiDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [temporalCheck, databaseCheck] = await Promise.all([
      probe(() => temporal.connection.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE })),
      probe(() => prisma.$queryRaw`SELECT 1`),
    ]);
    const ready = temporalCheck === 'ok' && databaseCheck === 'ok';
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      ...(ready ? {} : { code: 'dependency_unavailable' }),
      checks: { temporal: temporalCheck, database: databaseCheck },
    });
  });
  return router;
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
