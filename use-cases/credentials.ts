import type { CredentialRepository } from '../db/repositories/credential-repository.js';
import type { ProviderCredential } from '../db/repositories/rows.js';
import { credentialProviders, secretCredentialName, type CredentialProvider, type PutCredential, type PutSecret } from '../domain/credentials.js';
import { AppError } from '../domain/errors.js';
import type { Auth } from './auth.js';
import type { DbDeps, UseCaseDeps } from './use-case-deps.js';

/** Storing needs the cipher; listing and deleting only the database. */
type SealingDeps = Pick<UseCaseDeps, 'db' | 'credentials'>;

function credentialView(row: ProviderCredential) {
  return { provider: row.provider as CredentialProvider, hint: row.hint, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

function requireCipher(deps: SealingDeps) {
  if (!deps.credentials) throw new AppError('credentials_not_configured', 'set CREDENTIALS_ENCRYPTION_KEY to store provider credentials', 503);
  return deps.credentials;
}

export async function putCredential(deps: SealingDeps, auth: Auth, provider: CredentialProvider, input: PutCredential) {
  const cipher = requireCipher(deps);
  if (provider === 'twilio' && !input.accountSid) throw new AppError('validation_failed', 'a Twilio credential needs accountSid with the auth token in apiKey', 400);
  return credentialView(await credentialsOf(deps, auth).store(provider, cipher.seal(JSON.stringify(input)), `…${input.apiKey.slice(-4)}`));
}

function credentialsOf(deps: DbDeps, auth: Auth): CredentialRepository {
  return deps.db.forOrganization(auth.organizationId).credentials;
}

export async function listCredentials(deps: DbDeps, auth: Auth) {
  const rows = await credentialsOf(deps, auth).listNamed([...credentialProviders]);
  return { data: rows.map(credentialView) };
}

export async function deleteCredential(deps: DbDeps, auth: Auth, provider: CredentialProvider): Promise<void> {
  if ((await credentialsOf(deps, auth).delete(provider)) === 0) throw AppError.notFound('credential', provider);
}

function secretView(row: ProviderCredential) {
  return { name: row.provider.slice('secret:'.length), hint: row.hint, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** Values for `{{secret.NAME}}` in tool templates: stored encrypted, read only by the worker's tool activities. */
export async function putSecret(deps: SealingDeps, auth: Auth, name: string, input: PutSecret) {
  const sealed = requireCipher(deps).seal(JSON.stringify(input));
  // Short values would be half given away by their last four characters.
  const hint = input.value.length >= 12 ? `…${input.value.slice(-4)}` : '…';
  return secretView(await credentialsOf(deps, auth).store(secretCredentialName(name), sealed, hint));
}

export async function listSecrets(deps: DbDeps, auth: Auth) {
  const rows = await credentialsOf(deps, auth).listPrefixed('secret:');
  return { data: rows.map(secretView) };
}

export async function deleteSecret(deps: DbDeps, auth: Auth, name: string): Promise<void> {
  if ((await credentialsOf(deps, auth).delete(secretCredentialName(name))) === 0) throw AppError.notFound('secret', name);
}
