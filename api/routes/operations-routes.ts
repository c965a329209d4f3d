import { z } from 'zod';
import { callIdSchema } from '../../domain/calls.js';
import { replayReportSchema } from '../../domain/replay-report.js';
import { rerunViewSchema, startRerunSchema } from '../../domain/reruns.js';
import type { ApiDeps } from '../api-deps.js';
import { idempotencyKeyOf } from '../idempotency.js';
import { route, type Route } from '../openapi/route.js';
import { replayCall } from '../../use-cases/replays.js';
import { getRerun, listReruns, startRerun } from '../../use-cases/reruns.js';

const callParams = z.object({ id: callIdSchema });
const tag = 'Operations';

/** Inspecting past conversations: replay against today's code, re-run against today's agent. */
export function operationsRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'post',
      path: '/v1/calls/:id/replay',
      operationId: 'replayCall',
      summary: "Replay the call's workflow history (every run) against the current workflow code; a nondeterministic run names the event where it diverges",
      tag,
      scope: 'read',
      params: callParams,
      responses: { 200: { description: 'The replay report', schema: replayReportSchema }, 404: { description: 'No such call, or its history is no longer kept' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await replayCall(deps, auth, params.id) }),
    }),
    route({
      method: 'post',
      path: '/v1/calls/:id/reruns',
      operationId: 'startCallRerun',
      summary: "Feed a finished call's caller turns again to its agent (current or a chosen version) in a new text call; old and new replies are stored side by side",
      tag,
      scope: 'calls:write',
      params: callParams,
      body: startRerunSchema,
      responses: {
        202: { description: 'Started; GET /v1/reruns/:id shows the diff when it completes', schema: rerunViewSchema },
        400: { description: 'fromTurn is past the last caller turn' },
        404: { description: 'No such call or agent version' },
        409: { description: 'The call is still going on, the caller said nothing, or a graph agent is re-run from a later turn' },
      },
      handle: async ({ auth, params, body, req }) => {
        const started = await startRerun(deps, auth, params.id, body, idempotencyKeyOf(req.header('idempotency-key')));
        return { status: 202, body: started, headers: { location: `/v1/reruns/${started.id}` } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/calls/:id/reruns',
      operationId: 'listCallReruns',
      summary: "The call's re-runs, newest first, each with its diff once completed",
      tag,
      scope: 'read',
      params: callParams,
      responses: { 200: { description: 'Re-runs', schema: z.object({ data: z.array(rerunViewSchema) }) }, 404: { description: 'No such call' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await listReruns(deps, auth, params.id) }),
    }),
    route({
      method: 'get',
      path: '/v1/reruns/:id',
      operationId: 'getRerun',
      summary: 'One re-run: its status and, once completed, the old and new replies side by side per caller turn',
      tag,
      scope: 'read',
      params: z.object({ id: z.uuid() }),
      responses: { 200: { description: 'The re-run', schema: rerunViewSchema }, 404: { description: 'No such re-run' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await getRerun(deps, auth, params.id) }),
    }),
  ];
}
