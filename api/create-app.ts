import express, { type Express } from 'express';
import { fileURLToPath } from 'node:url';
import type { ApiDeps } from './api-deps.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { requestId } from './request-id.js';
import { callRoutes } from './routes/call-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { systemCheckRoutes } from './routes/system-check-routes.js';
import { twilioRoutes } from './routes/twilio-routes.js';

const publicDir = fileURLToPath(new URL('./public/', import.meta.url));

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
    });
    next();
  });
  app.use(express.json({ limit: '1mb' }));
  app.use(healthRoutes(deps));
  app.get('/dashboard/links.json', (_req, res) => {
    res.json(deps.links ?? {});
  });
  app.use(systemCheckRoutes(deps));
  app.use(callRoutes(deps));
  app.use(twilioRoutes(deps));
  app.use(express.static(publicDir, { index: 'index.html' }));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
