import type { PrismaClient } from '../../db/prisma-client.js';
import { type ApiKeyScope, scopeToDb } from '../../domain/api-keys.js';
import { generateApiKey } from '../../use-cases/api-key-token.js';

/** Creates a key; the returned `key` is the only time it exists outside the caller's hands. */
export async function issueApiKey(prisma: PrismaClient, input: { organizationId: string; name: string; scopes: ApiKeyScope[] }) {
  const { key, prefix, hash } = generateApiKey();
  const row = await prisma.apiKey.create({
    data: { organizationId: input.organizationId, name: input.name, prefix, hash, scopes: [...new Set(input.scopes)].map(scopeToDb) },
  });
  return { row, key };
}

/** A new organization and its first (admin) key: `npm run create-key`, and the first `npm start`. */
export async function createOrganizationWithKey(prisma: PrismaClient, input: { organizationName: string; keyName: string }) {
  const organization = await prisma.organization.create({ data: { name: input.organizationName } });
  const { key } = await issueApiKey(prisma, { organizationId: organization.id, name: input.keyName, scopes: ['admin'] });
  return { organization, key };
}
