import { z } from 'zod';
import { callIdSchema, callSummarySchema, callViewSchema, listCallsQuerySchema, startedCallSchema, startedWebCallSchema, startOutboundCallSchema, startWebCallSchema } from '../../domain/calls.js';
import { pageSchema } from '../../domain/pagination.js';
import type { ApiDeps } from '../api-deps.js';
import { withDefaultsAt } from '../provider-defaults-body.js';
import { idempotencyKeyOf } from '../idempotency.js';
import { route, type Route } from '../openapi/route.js';
import { writeEventStream } from '../sse.js';
import { endCall, followTranscript, getCall, listCalls, startOutboundCall, startWebCall } from '../../use-cases/calls.js';
import { listAnalyses, rerunAnalysis } from '../../use-cases/analyses.js';
import { analysisRunSchema, analysisViewSchema, rerunAnalysisSchema } from '../../domain/post-call-analysis.js';

const idParams = z.object({ id: callIdSchema });
const tag = 'Calls';

export function callRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'post',
      path: '/v1/calls/web',
      operationId: 'startWebCall',
      summary: 'Start a browser (or chat) call: connect to mediaUrl to talk',
      tag,
      scope: 'calls:write',
      body: startWebCallSchema,
      prepareBody: (raw) => withDefaultsAt(raw, 'agent', deps.providerDefaults),
      responses: { 201: { description: 'Started', schema: startedWebCallSchema }, 404: { description: 'No such agent or version' } },
      handle: async ({ auth, body, req }) => {
        const started = await startWebCall(deps, auth, body, idempotencyKeyOf(req.header('idempotency-key')));
        return { status: 201, body: started, headers: { location: `/v1/calls/${started.callId}` } };
      },
    }),
    route({
      method: 'post',
      path: '/v1/calls',
      operationId: 'startOutboundCall',
      summary: 'Place an outbound phone call through Twilio',
      tag,
      scope: 'calls:write',
      body: startOutboundCallSchema,
      prepareBody: (raw) => withDefaultsAt(raw, 'agent', deps.providerDefaults),
      responses: { 201: { description: 'Dialing', schema: startedCallSchema }, 404: { description: 'No such agent or version' } },
      handle: async ({ auth, body, req }) => {
        const started = await startOutboundCall(deps, auth, body, idempotencyKeyOf(req.header('idempotency-key')));
        return { status: 201, body: started, headers: { location: `/v1/calls/${started.callId}` } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/calls',
      operationId: 'listCalls',
      summary: 'Calls, newest first, filtered by agent, status, direction and time',
      tag,
      scope: 'read',
      query: listCallsQuerySchema,
      responses: { 200: { description: 'A page of calls', schema: pageSchema(callSummarySchema) } },
      handle: async ({ auth, query }) => ({ status: 200, body: await listCalls(deps, auth, query) }),
    }),
    route({
      method: 'get',
      path: '/v1/calls/:id',
      operationId: 'getCall',
      summary: 'One call: transcript, per-turn timings, cost (live from its workflow while it runs)',
      tag,
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'The call', schema: callViewSchema }, 404: { description: 'No such call' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await getCall(deps, auth, params.id) }),
    }),
    route({
      method: 'get',
      path: '/v1/calls/:id/analyses',
      operationId: 'listCallAnalyses',
      summary: "The call's post-call analyses, newest first: the one run when it ended and any re-runs",
      tag,
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'Analyses', schema: z.object({ data: z.array(analysisViewSchema) }) }, 404: { description: 'No such call' } },
      handle: async ({ auth, params }) => ({ status: 200, body: await listAnalyses(deps, auth, params.id) }),
    }),
    route({
      method: 'post',
      path: '/v1/calls/:id/analyses',
      operationId: 'rerunCallAnalysis',
      summary: "Analyse a past call again, with the agent's newest analysis settings (or those it ran with)",
      tag,
      scope: 'calls:write',
      params: idParams,
      body: rerunAnalysisSchema,
      responses: {
        202: { description: 'Started; the analysis appears in GET /v1/calls/:id/analyses', schema: analysisRunSchema },
        404: { description: 'No such call' },
        409: { description: 'The call is still going on, has no caller turn, or ran an unsaved agent' },
      },
      handle: async ({ auth, params, body }) => ({ status: 202, body: await rerunAnalysis(deps, auth, params.id, body) }),
    }),
    route({
      method: 'post',
      path: '/v1/calls/:id/end',
      operationId: 'endCall',
      summary: 'Hang up a live call (the agent says goodbye first)',
      tag,
      scope: 'calls:write',
      params: idParams,
      responses: { 202: { description: 'Ending', schema: z.object({ status: z.literal('ending') }) }, 404: { description: 'No such call' }, 409: { description: 'The call has ended already' } },
      handle: async ({ auth, params }) => {
        await endCall(deps, auth, params.id);
        return { status: 202, body: { status: 'ending' } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/calls/:id/transcript/stream',
      operationId: 'streamTranscript',
      summary: 'The live transcript as server-sent events: `turn` per entry, `ended` with the stored call',
      tag,
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' }, 404: { description: 'No such call' } },
      handle: async ({ auth, params, req, res }) => {
        // Unknown call: a normal 404 before the stream starts.
        await getCall(deps, auth, params.id);
        await writeEventStream(req, res, (signal) => followTranscript(deps, auth, params.id, signal));
        return undefined;
      },
    }),
  ];
}
