import express, { Router, type Express } from 'express';
import { fileURLToPath } from 'node:url';
import type { ApiDeps } from './api-deps.js';
import { createAuthenticator } from './auth/authenticate.js';
import { RateLimiter } from './auth/rate-limiter.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { handleMetricsRequest } from '../platform/metrics-server.js';
import { createIdempotency } from './idempotency.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { mountRoutes, type Route } from './openapi/route.js';
import { rejectUnstorableText } from './reject-unstorable-text.js';
import { requestId } from './request-id.js';
import { agentRoutes } from './routes/agent-routes.js';
import { apiKeyRoutes } from './routes/api-key-routes.js';
import { callRoutes } from './routes/call-routes.js';
import { campaignRoutes } from './routes/campaign-routes.js';
import { credentialRoutes } from './routes/credential-routes.js';
import { docsRoutes } from './routes/docs-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { phoneNumberRoutes } from './routes/phone-number-routes.js';
import { systemCheckRoutes } from './routes/system-check-routes.js';
import { toolRoutes } from './routes/tool-routes.js';
import { twilioRoutes } from './routes/twilio-routes.js';
import { analyticsRoutes } from './routes/analytics-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';
import { operationsRoutes } from './routes/operations-routes.js';

const publicDir = fileURLToPath(new URL('./public/', import.meta.url));
const API_VERSION = '1.0.0';

/** Every route of the public API: what is mounted is what /openapi.json describes. */
export function apiRoutes(deps: ApiDeps): Route[] {
  return [
    ...healthRoutes(deps),
    ...apiKeyRoutes(deps),
    ...credentialRoutes(deps),
    ...agentRoutes(deps),
    ...toolRoutes(deps),
    ...campaignRoutes(deps),
    ...phoneNumberRoutes(deps),
    ...callRoutes(deps),
    ...operationsRoutes(deps),
    ...webhookRoutes(deps),
    ...analyticsRoutes(deps),
    ...systemCheckRoutes(deps),
  ];
}

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestId);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.log.debug({ requestId: req.id, method: req.method, path: req.path, status: res.statusCode, ms }, 'request');
      // The route's pattern, not the path: ids would make a series per request.
      const route = (req.route as { path?: string } | undefined)?.path ?? (res.statusCode === 404 ? 'unmatched' : req.path);
      deps.metrics?.httpRequests.observe({ method: req.method, route: String(route), status: String(res.statusCode) }, ms / 1000);
    });
    next();
  });
  if (deps.metrics) {
    const metrics = deps.metrics;
    app.get('/metrics', (req, res) => void handleMetricsRequest(req, res, metrics));
  }
  app.use(express.json({ limit: '1mb' }));
  // Contact lists: a 100,000-row CSV is a few MB.
  app.use(express.text({ type: 'text/csv', limit: '20mb' }));
  app.use(rejectUnstorableText);
  const routes = apiRoutes(deps);
  const document = buildOpenApiDocument(routes, { version: API_VERSION, serverUrl: deps.config.PUBLIC_API_URL });
  app.use(docsRoutes(() => document));
  app.get('/dashboard/links.json', (_req, res) => {
    res.json(deps.links ?? {});
  });
  app.use(
    mountRoutes(Router(), routes, {
      authenticate: createAuthenticator({ db: deps.db, limiter: new RateLimiter(deps.config.RATE_LIMIT_PER_MINUTE) }),
      idempotency: createIdempotency(deps.db),
    }),
  );
  app.use(twilioRoutes(deps));
  app.use(express.static(publicDir, { index: 'index.html' }));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
