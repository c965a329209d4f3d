import { Router } from 'express';
import { startSystemCheckSchema, systemCheckIdSchema } from '../../domain/system-check.js';
import type { ApiDeps } from '../api-deps.js';
import { getSystemCheck, startSystemCheck } from '../use-cases/system-checks.js';

/** End-to-end probe of the platform: api → Temporal → worker → PostgreSQL → api. */
export function systemCheckRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.post('/v1/system-checks', async (req, res) => {
    const input = startSystemCheckSchema.parse(req.body ?? {});
    const view = await startSystemCheck(deps, input);
    res.status(202).location(`/v1/system-checks/${view.id}`).json(view);
  });
  router.get('/v1/system-checks/:id', async (req, res) => {
    const id = systemCheckIdSchema.parse(req.params.id);
    res.json(await getSystemCheck(deps, id));
  });
  return router;
}
