import type { ApiKey } from '../generated/prisma/client.js';
import { type ApiKeyView, type CreateApiKey, scopeFromDb } from '../domain/api-keys.js';
import { AppError } from '../domain/errors.js';
import type { ApiDeps } from '../api/api-deps.js';
import type { Auth } from '../api/auth/authenticate.js';
import { issueApiKey } from '../api/auth/issue-api-key.js';

export function apiKeyView(key: ApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes.map(scopeFromDb),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
  };
}

export async function createApiKey(deps: ApiDeps, auth: Auth, input: CreateApiKey) {
  const { row, key } = await issueApiKey(deps.prisma, { organizationId: auth.organizationId, name: input.name, scopes: input.scopes });
  return { ...apiKeyView(row), key };
}

export async function listApiKeys(deps: ApiDeps, auth: Auth) {
  const keys = await deps.prisma.apiKey.findMany({ where: { organizationId: auth.organizationId }, orderBy: { createdAt: 'desc' } });
  return { data: keys.map(apiKeyView) };
}

export async function revokeApiKey(deps: ApiDeps, auth: Auth, id: string): Promise<void> {
  const revoked = await deps.prisma.apiKey.updateMany({ where: { id, organizationId: auth.organizationId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (revoked.count === 0) {
    const exists = await deps.prisma.apiKey.count({ where: { id, organizationId: auth.organizationId } });
    if (!exists) throw AppError.notFound('api key', id);
  }
}
