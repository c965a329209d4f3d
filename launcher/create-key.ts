/**
 * `npm run create-key -- --org "Acme"`: a new organization and its first admin key.
 * `npm run create-key -- --organization-id <id> [--name ci] [--scopes read,calls:write]`:
 * another key for an existing organization. The key is printed once; only its hash is kept.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createOrganizationWithKey, issueApiKey } from '../use-cases/api-keys.js';
import { createPrismaClient } from '../db/prisma-client.js';
import { createRepositories } from '../db/repositories/repositories.js';
import { apiKeyScopes } from '../domain/api-keys.js';
import { withDatabase } from '../db/with-database.js';
import { ConfigError } from '../platform/config-error.js';
import { loadConfig } from '../platform/load-config.js';

const usage = `usage: npm run create-key -- --org "Name"
       npm run create-key -- --organization-id <id> [--name <label>] [--scopes ${apiKeyScopes.join(',')}]`;

try {
  const { values } = parseArgs({
    options: {
      org: { type: 'string' },
      'organization-id': { type: 'string' },
      name: { type: 'string', default: 'created with npm run create-key' },
      scopes: { type: 'string', default: 'admin' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (!values.org === !values['organization-id']) throw new ConfigError('give --org "Name" (a new organization) or --organization-id <id> (an existing one)');
  const scopes = z.array(z.enum(apiKeyScopes)).min(1).parse(values.scopes.split(',').map((scope) => scope.trim()));
  await withDatabase(loadConfig(), async (url) => {
    const prisma = createPrismaClient(url);
    try {
      if (values.org) {
        const { organization, key } = await createOrganizationWithKey({ db: createRepositories(prisma) }, { organizationName: values.org, keyName: values.name });
        console.log(`organization ${organization.id} (${organization.name})`);
        console.log(`API key (admin; shown once): ${key}`);
      } else {
        const organizationId = z.uuid().parse(values['organization-id']);
        if (!(await prisma.organization.count({ where: { id: organizationId } }))) throw new ConfigError(`no organization ${organizationId}`);
        const { key } = await issueApiKey({ db: createRepositories(prisma) }, { organizationId, name: values.name, scopes });
        console.log(`API key (${scopes.join(', ')}; shown once): ${key}`);
      }
    } finally {
      await prisma.$disconnect();
    }
  });
} catch (error) {
  console.error(`error: ${error instanceof z.ZodError ? error.issues.map((issue) => issue.message).join('; ') : (error as Error).message}`);
  if ((error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') console.error(usage);
  process.exit(1);
}
