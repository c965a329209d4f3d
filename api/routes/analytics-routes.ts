import { analyticsQuerySchema, analyticsViewSchema } from '../../domain/analytics.js';
import type { ApiDeps } from '../api-deps.js';
import { route, type Route } from '../openapi/route.js';
import { callAnalytics } from '../../use-cases/analytics.js';

export function analyticsRoutes(deps: ApiDeps): Route[] {
  return [
    route({
      method: 'get',
      path: '/v1/analytics/calls',
      operationId: 'getCallAnalytics',
      summary: 'Calls per day, agent or campaign: volume, outcomes, durations, success rate, per-stage latency percentiles and estimated cost',
      tag: 'Analytics',
      scope: 'read',
      query: analyticsQuerySchema,
      responses: { 200: { description: 'The figures, by group and in total', schema: analyticsViewSchema } },
      handle: async ({ auth, query }) => ({ status: 200, body: await callAnalytics(deps, auth, query) }),
    }),
  ];
}
