import type { ApiKey } from '../db/repositories/rows.js';
import { type ApiKeyScope, type ApiKeyView, type CreateApiKey, scopeFromDb } from '../domain/api-keys.js';
import { AppError } from '../domain/errors.js';
import { generateApiKey, hashApiKey } from './api-key-token.js';
import type { Auth } from './auth.js';
import type { DbDeps } from './use-case-deps.js';

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

/** Creates a key; the returned `key` is the only time it exists outside the caller's hands. */
export async function issueApiKey(deps: DbDeps, input: { organizationId: string; name: string; scopes: ApiKeyScope[] }) {
  const { key, prefix, hash } = generateApiKey();
  const row = await deps.db.forOrganization(input.organizationId).apiKeys.create({ name: input.name, prefix, hash, scopes: input.scopes });
  return { row, key };
}

/** A new organization and its first (admin) key: `npm run create-key`, and the first `npm start`. */
export async function createOrganizationWithKey(deps: DbDeps, input: { organizationName: string; keyName: string }) {
  const organization = await deps.db.organizations.create(input.organizationName);
  const { key } = await issueApiKey(deps, { organizationId: organization.id, name: input.keyName, scopes: ['admin'] });
  return { organization, key };
}

export async function createApiKey(deps: DbDeps, auth: Auth, input: CreateApiKey) {
  const { row, key } = await issueApiKey(deps, { organizationId: auth.organizationId, name: input.name, scopes: input.scopes });
  return { ...apiKeyView(row), key };
}

export async function listApiKeys(deps: DbDeps, auth: Auth) {
  const keys = await deps.db.forOrganization(auth.organizationId).apiKeys.list();
  return { data: keys.map(apiKeyView) };
}

export async function revokeApiKey(deps: DbDeps, auth: Auth, id: string): Promise<void> {
  const { apiKeys } = deps.db.forOrganization(auth.organizationId);
  // Revoking a revoked key again is fine; only a key of another organization (or none) is 404.
  if (!(await apiKeys.revoke(id)) && !(await apiKeys.exists(id))) throw AppError.notFound('api key', id);
}

/** The stored key a presented one is, revoked or not; undefined for a key never issued. */
export async function apiKeyForToken(deps: DbDeps, token: string): Promise<ApiKey | undefined> {
  return (await deps.db.apiKeys.findByHash(hashApiKey(token))) ?? undefined;
}

export async function noteApiKeyUse(deps: DbDeps, apiKeyId: string, at: Date): Promise<void> {
  await deps.db.apiKeys.noteUse(apiKeyId, at);
}
