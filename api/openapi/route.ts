import type { Request, RequestHandler, Response, Router } from 'express';
import { type z, type ZodType } from 'zod';
import type { ApiKeyScope } from '../../domain/api-keys.js';
import type { Auth } from '../../use-cases/auth.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteResponse {
  description: string;
  schema?: ZodType;
  /** For streams: the body is written by the handler, not returned. */
  contentType?: 'application/json' | 'text/event-stream' | 'text/csv';
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Absent only on public routes. */
  auth: Auth;
  req: Request;
  res: Response;
}

/**
 * One API operation: its inputs and outputs as zod schemas, which both validate the
 * request and generate the OpenAPI document, so the two cannot drift apart.
 */
export interface Route<P extends ZodType = ZodType, Q extends ZodType = ZodType, B extends ZodType = ZodType> {
  method: HttpMethod;
  /** Express style: /v1/agents/:id */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** `public`: no API key. */
  scope: ApiKeyScope | 'public';
  params?: P;
  query?: Q;
  body?: B;
  /** Rewrites the raw body before it is validated (e.g. the platform's defaults for what it leaves out). */
  prepareBody?: (raw: unknown) => unknown;
  /** Also takes a raw text body of this type (e.g. text/csv); the handler gets it as `{ text }` to validate. */
  acceptsText?: 'text/csv';
  responses: Record<number, RouteResponse>;
  /** Returns the response, or undefined when it wrote a stream itself. */
  handle(context: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<RouteResult | undefined>;
}

export function route<P extends ZodType = ZodType, Q extends ZodType = ZodType, B extends ZodType = ZodType>(definition: Route<P, Q, B>): Route {
  return definition as unknown as Route;
}

export interface RouteMiddleware {
  authenticate(scope: ApiKeyScope): RequestHandler;
  /** Replays the stored answer to a repeated Idempotency-Key (POST only). */
  idempotency: RequestHandler;
}

export function mountRoutes(router: Router, routes: Route[], middleware: RouteMiddleware): Router {
  for (const definition of routes) {
    const chain: RequestHandler[] = [];
    if (definition.scope !== 'public') chain.push(middleware.authenticate(definition.scope));
    if (definition.method === 'post' && definition.scope !== 'public') chain.push(middleware.idempotency);
    chain.push(async (req, res) => {
      const result = await definition.handle({
        params: definition.params ? definition.params.parse(req.params) : req.params,
        query: definition.query ? definition.query.parse(req.query) : req.query,
        body: definition.body ? definition.body.parse((definition.prepareBody ?? ((raw: unknown) => raw))(definition.acceptsText && typeof req.body === 'string' ? { text: req.body } : (req.body ?? {}))) : undefined,
        auth: req.auth!,
        req,
        res,
      });
      if (!result) return;
      for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
      if (result.body === undefined) res.status(result.status).end();
      else res.status(result.status).json(result.body);
    });
    router[definition.method](definition.path, ...chain);
  }
  return router;
}
