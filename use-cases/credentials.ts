import type { ProviderCredential } from '../generated/prisma/client.js';
import { credentialProviders, secretCredentialName, type CredentialProvider, type PutCredential, type PutSecret } from '../domain/credentials.js';
import { AppError } from '../domain/errors.js';
import type { ApiDeps } from '../api/api-deps.js';
import type { Auth } from '../api/auth/authenticate.js';

function credentialView(row: ProviderCredential) {
  return { provider: row.provider as CredentialProvider, hint: row.hint, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

function requireCipher(deps: ApiDeps) {
  if (!deps.credentials) throw new AppError('credentials_not_configured', 'set CREDENTIALS_ENCRYPTION_KEY to store provider credentials', 503);
  return deps.credentials;
}

export async function putCredential(deps: ApiDeps, auth: Auth, provider: CredentialProvider, input: PutCredential) {
  const cipher = requireCipher(deps);
  if (provider === 'twilio' && !input.accountSid) throw new AppError('validation_failed', 'a Twilio credential needs accountSid with the auth token in apiKey', 400);
  return credentialView(await storeSealed(deps, auth, provider, cipher.seal(JSON.stringify(input)), `…${input.apiKey.slice(-4)}`));
}

/** One encrypted row per organization and name: a vendor key or a secret. */
function storeSealed(deps: ApiDeps, auth: Auth, provider: string, sealed: string, hint: string) {
  return deps.prisma.providerCredential.upsert({
    where: { organizationId_provider: { organizationId: auth.organizationId, provider } },
    create: { organizationId: auth.organizationId, provider, sealed, hint },
    update: { sealed, hint },
  });
}

export async function listCredentials(deps: ApiDeps, auth: Auth) {
  const rows = await deps.prisma.providerCredential.findMany({ where: { organizationId: auth.organizationId, provider: { in: [...credentialProviders] } }, orderBy: { provider: 'asc' } });
  return { data: rows.map(credentialView) };
}

export async function deleteCredential(deps: ApiDeps, auth: Auth, provider: CredentialProvider): Promise<void> {
  const deleted = await deps.prisma.providerCredential.deleteMany({ where: { organizationId: auth.organizationId, provider } });
  if (deleted.count === 0) throw AppError.notFound('credential', provider);
}

function secretView(row: ProviderCredential) {
  return { name: row.provider.slice('secret:'.length), hint: row.hint, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** Values for `{{secret.NAME}}` in tool templates: stored encrypted, read only by the worker's tool activities. */
export async function putSecret(deps: ApiDeps, auth: Auth, name: string, input: PutSecret) {
  const sealed = requireCipher(deps).seal(JSON.stringify(input));
  // Short values would be half given away by their last four characters.
  const hint = input.value.length >= 12 ? `…${input.value.slice(-4)}` : '…';
  return secretView(await storeSealed(deps, auth, secretCredentialName(name), sealed, hint));
}

export async function listSecrets(deps: ApiDeps, auth: Auth) {
  const rows = await deps.prisma.providerCredential.findMany({ where: { organizationId: auth.organizationId, provider: { startsWith: 'secret:' } }, orderBy: { provider: 'asc' } });
  return { data: rows.map(secretView) };
}

export async function deleteSecret(deps: ApiDeps, auth: Auth, name: string): Promise<void> {
  const deleted = await deps.prisma.providerCredential.deleteMany({ where: { organizationId: auth.organizationId, provider: secretCredentialName(name) } });
  if (deleted.count === 0) throw AppError.notFound('secret', name);
}
