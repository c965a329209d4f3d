import { ApplicationFailure } from '@temporalio/common';
import type { PrismaClient } from '../generated/prisma/client.js';
import { secretCredentialName } from '../domain/credentials.js';
import type { CredentialsCipher } from '../platform/credentials-cipher.js';

interface SecretDeps {
  prisma: PrismaClient;
  credentials?: CredentialsCipher;
}

/** `{{secret.NAME}}` values, decrypted only here in the activity: they never enter workflow history. */
export async function readSecrets(deps: SecretDeps, organizationId: string, names: string[]): Promise<Record<string, string>> {
  if (names.length === 0) return {};
  const cipher = requireCipher(deps);
  const rows = await deps.prisma.providerCredential.findMany({ where: { organizationId, provider: { in: names.map(secretCredentialName) } } });
  const values: Record<string, string> = {};
  for (const row of rows) values[row.provider.slice('secret:'.length)] = (JSON.parse(cipher.open(row.sealed)) as { value: string }).value;
  const missing = names.filter((name) => values[name] === undefined);
  if (missing.length > 0) throw ApplicationFailure.nonRetryable(`no secret ${missing.join(', ')}: PUT /v1/secrets/<name>`, 'tool_not_configured');
  return values;
}

/** An organization's key for a provider (PUT /v1/credentials/<provider>), if it set one. */
export async function readProviderKey(deps: SecretDeps, organizationId: string, provider: string): Promise<string | undefined> {
  const row = await deps.prisma.providerCredential.findUnique({ where: { organizationId_provider: { organizationId, provider } } });
  if (!row) return undefined;
  return (JSON.parse(requireCipher(deps).open(row.sealed)) as { apiKey: string }).apiKey;
}

function requireCipher(deps: SecretDeps): CredentialsCipher {
  if (!deps.credentials) throw ApplicationFailure.nonRetryable('CREDENTIALS_ENCRYPTION_KEY is not set on the worker', 'tool_not_configured');
  return deps.credentials;
}
