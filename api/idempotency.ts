import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../domain/errors.js';
import type { DbDeps } from '../use-cases/use-case-deps.js';

/** A stored answer is replayed for this long; after it the key may be used afresh. */
const KEEP_MS = 24 * 3_600_000;
/** A first request that has not answered in this long died with its process: a retry takes over. */
const ABANDONED_MS = 60_000;

export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = header.trim();
  if (key.length < 1 || key.length > 200) throw new AppError('invalid_idempotency_key', 'Idempotency-Key must be 1 to 200 characters', 400);
  return key;
}

/**
 * `Idempotency-Key` on a POST: the first request runs and its answer is stored; the
 * same key again gets that answer (header `Idempotent-Replayed: true`) and causes
 * nothing; the same key with another body is refused (422); while the first is still
 * running, 409. Answers of 5xx are not kept, so the client may retry.
 */
export function createIdempotency(db: DbDeps['db']): RequestHandler {
  return async (req, res, next) => {
    const key = idempotencyKeyOf(req.header('idempotency-key'));
    if (key === undefined) return next();
    const records = db.forOrganization(req.auth!.organizationId).idempotency;
    const requestHash = createHash('sha256').update(`${req.method} ${req.path}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    const request = { requestHash, method: req.method, path: req.path };

    const existing = await records.find(key);
    const age = existing ? Date.now() - existing.createdAt.getTime() : 0;
    if (existing && age < KEEP_MS) {
      if (existing.requestHash !== requestHash) throw new AppError('idempotency_key_reused', 'this Idempotency-Key was used with a different request', 422);
      if (existing.status !== null) {
        res.setHeader('Idempotent-Replayed', 'true');
        res.status(existing.status).json(existing.response);
        return;
      }
      if (age < ABANDONED_MS) {
        res.setHeader('Retry-After', '1');
        throw new AppError('idempotency_in_progress', 'a request with this Idempotency-Key is still being handled', 409);
      }
    }
    // Claim the key; a concurrent first request loses the race here and is told to wait.
    const claimed = existing ? await records.claimExisting(existing, request) : await records.claimNew(key, request);
    if (!claimed) {
      res.setHeader('Retry-After', '1');
      throw new AppError('idempotency_in_progress', 'a request with this Idempotency-Key is still being handled', 409);
    }

    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      const status = res.statusCode;
      const stored = status >= 500 ? records.forget(key) : records.storeAnswer(key, status, body);
      // Stored before it is sent: a retry right after this answer gets the same one.
      void stored.catch(() => undefined).finally(() => send(body));
      return res;
    };
    next();
  };
}
