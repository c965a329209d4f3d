import { Router } from 'express';
import { callIdSchema, startOutboundCallSchema, startWebCallSchema } from '../../domain/calls.js';
import type { ApiDeps } from '../api-deps.js';
import { endCall, getCall, startOutboundCall, startWebCall } from '../use-cases/calls.js';

export function callRoutes(deps: ApiDeps): Router {
  const router = Router();
  /** A browser (or chat) call: connect to the returned mediaUrl to talk. */
  router.post('/v1/calls/web', async (req, res) => {
    const input = startWebCallSchema.parse(req.body ?? {});
    const started = await startWebCall(deps, input);
    res.status(201).location(`/v1/calls/${started.callId}`).json(started);
  });
  /** An outbound phone call placed through Twilio. */
  router.post('/v1/calls', async (req, res) => {
    const started = await startOutboundCall(deps, startOutboundCallSchema.parse(req.body ?? {}));
    res.status(201).location(`/v1/calls/${started.callId}`).json(started);
  });
  router.get('/v1/calls/:id', async (req, res) => {
    res.json(await getCall(deps, callIdSchema.parse(req.params.id)));
  });
  router.post('/v1/calls/:id/end', async (req, res) => {
    await endCall(deps, callIdSchema.parse(req.params.id));
    res.status(202).json({ status: 'ending' });
  });
  return router;
}
