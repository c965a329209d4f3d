import type { RequestHandler } from 'express';
import { type ApiKeyScope, grants, scopeFromDb } from '../../domain/api-keys.js';
import { AppError } from '../../domain/errors.js';
import { looksLikeApiKey } from '../../use-cases/api-key-token.js';
import { apiKeyForToken, noteApiKeyUse } from '../../use-cases/api-keys.js';
import type { Auth } from '../../use-cases/auth.js';
import type { DbDeps } from '../../use-cases/use-case-deps.js';
import type { RateLimiter } from './rate-limiter.js';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: Auth;
  }
}

/** lastUsedAt is written at most this often per key: not a database write per request. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * `Authorization: Bearer <key>`: the key's organization scopes everything the request
 * touches. 401 without a valid key, 403 without the scope, 429 over the rate limit.
 */
export function createAuthenticator(deps: DbDeps & { limiter: RateLimiter }) {
  const lastUsedWritten = new Map<string, number>();
  return (needed: ApiKeyScope): RequestHandler =>
    async (req, res, next) => {
      const header = req.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match || !looksLikeApiKey(match[1]!)) throw new AppError('unauthorized', 'send an API key: Authorization: Bearer <key>', 401);
      const key = await apiKeyForToken(deps, match[1]!);
      if (!key || key.revokedAt) throw new AppError('unauthorized', 'this API key is not valid (unknown or revoked)', 401);
      const wait = deps.limiter.take(key.id);
      if (wait > 0) {
        res.setHeader('Retry-After', String(wait));
        throw new AppError('rate_limited', `too many requests for this API key; retry in ${wait} s`, 429);
      }
      const scopes = key.scopes.map(scopeFromDb);
      if (!grants(scopes, needed)) throw new AppError('forbidden', `this API key lacks the ${needed} scope`, 403);
      req.auth = { organizationId: key.organizationId, apiKeyId: key.id, scopes };
      const now = Date.now();
      if (now - (lastUsedWritten.get(key.id) ?? 0) > LAST_USED_EVERY_MS) {
        lastUsedWritten.set(key.id, now);
        void noteApiKeyUse(deps, key.id, new Date(now)).catch(() => undefined);
      }
      next();
    };
}
