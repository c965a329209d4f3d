import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError } from '../domain/errors.js';
import type { Logger } from '../platform/logger.js';

/** The one place errors become HTTP: every 4xx carries a machine-readable `code`. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const mapped = toAppError(error);
    if (mapped.status >= 500) log.error({ err: error, requestId: req.id }, 'request failed');
    res.status(mapped.status).json({
      code: mapped.code,
      message: mapped.message,
      ...(mapped.details === undefined ? {} : { details: mapped.details }),
      requestId: req.id,
    });
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `no route for ${req.method} ${req.path}`, 404));
};

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    return new AppError(
      'validation_failed',
      'the request is not valid',
      400,
      error.issues.map((issue) => {
        // Graph checks name the nodes at fault, so an editor can point at them.
        const nodeIds = issue.code === 'custom' ? (issue.params as { nodeIds?: string[] } | undefined)?.nodeIds : undefined;
        return { path: issue.path.join('.'), message: issue.message, ...(nodeIds ? { nodeIds } : {}) };
      }),
    );
  }
  // body-parser marks its own errors with `type` and an HTTP status.
  const typed = error as { type?: string; status?: number; message?: string };
  if (typed.type === 'entity.parse.failed') return new AppError('invalid_json', 'the body is not valid JSON', 400);
  if (typed.type === 'entity.too.large') return new AppError('payload_too_large', 'the body is too large', 413);
  if (typed.type === 'encoding.unsupported' || typed.type === 'charset.unsupported') {
    return new AppError('unsupported_encoding', typed.message ?? 'unsupported encoding', 415);
  }
  if (typeof typed.status === 'number' && typed.status >= 400 && typed.status < 500) {
    return new AppError('bad_request', typed.message ?? 'bad request', typed.status);
  }
  return new AppError('internal_error', 'internal error', 500);
}
