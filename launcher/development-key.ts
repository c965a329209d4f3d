import { createOrganizationWithKey } from '../use-cases/api-keys.js';
import { createPrismaClient } from '../db/prisma-client.js';
import { createRepositories } from '../db/repositories/repositories.js';

/**
 * The first `npm start` on the embedded database has no organization to call the API
 * with: it makes one, "Development", with an admin key, and shows the key that once.
 * Any existing key (from an earlier start or `npm run create-key`) means nothing is made.
 */
export async function ensureDevelopmentKey(databaseUrl: string): Promise<string | undefined> {
  const prisma = createPrismaClient(databaseUrl);
  try {
    if ((await prisma.apiKey.count()) > 0) return undefined;
    const { key } = await createOrganizationWithKey({ db: createRepositories(prisma) }, { organizationName: 'Development', keyName: 'development (made by npm start)' });
    return key;
  } finally {
    await prisma.$disconnect();
  }
}
