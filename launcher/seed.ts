/**
 * `npm run seed [-- --organization-id <id>] [--dir examples/agents]`: loads the example
 * agents (and their tools) into an organization: the first one (npm start's
 * "Development") unless one is named. Running it again makes new versions, not copies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createOrganizationWithKey } from '../use-cases/api-keys.js';
import { createAgent, updateAgent } from '../use-cases/agents.js';
import { createTool, replaceTool } from '../use-cases/tools.js';
import { createPrismaClient } from '../db/prisma-client.js';
import { createRepositories } from '../db/repositories/repositories.js';
import { withDatabase } from '../db/with-database.js';
import { agentConfigSchema } from '../domain/agent-config.js';
import { toolDefinitionSchema } from '../domain/tools.js';
import { ConfigError } from '../platform/config-error.js';
import { loadConfig } from '../platform/load-config.js';

const exampleAgentSchema = z
  .object({
    name: z.string().min(1),
    /** The organization's tools this agent uses (created or replaced by name). */
    tools: z.array(toolDefinitionSchema).default([]),
    config: agentConfigSchema,
  })
  .strict();

const defaultDir = fileURLToPath(new URL('../examples/agents', import.meta.url));

try {
  const { values } = parseArgs({ options: { 'organization-id': { type: 'string' }, dir: { type: 'string', default: defaultDir } } });
  const files = readdirSync(values.dir).filter((file) => file.endsWith('.json')).sort();
  const examples = files.map((file) => {
    const parsed = exampleAgentSchema.safeParse(JSON.parse(readFileSync(path.join(values.dir, file), 'utf8')));
    if (!parsed.success) throw new ConfigError(`${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    return parsed.data;
  });
  await withDatabase(loadConfig(), async (url) => {
    const prisma = createPrismaClient(url);
    try {
      let organizationId = values['organization-id'];
      if (!organizationId) {
        const first = await prisma.organization.findFirst({ orderBy: { createdAt: 'asc' } });
        if (first) organizationId = first.id;
        else {
          const created = await createOrganizationWithKey({ db: createRepositories(prisma) }, { organizationName: 'Examples', keyName: 'created by npm run seed' });
          organizationId = created.organization.id;
          console.log(`organization ${organizationId} (Examples); API key (admin; shown once): ${created.key}`);
        }
      }
      const auth = { organizationId, apiKeyId: 'seed', scopes: ['admin' as const] };
      const deps = { db: createRepositories(prisma) };
      for (const example of examples) {
        for (const tool of example.tools) {
          const existing = await prisma.tool.findFirst({ where: { organizationId, name: tool.name } });
          if (existing) await replaceTool(deps, auth, existing.id, tool);
          else await createTool(deps, auth, tool);
        }
        const existing = await prisma.agent.findFirst({ where: { organizationId, name: example.name, deletedAt: null } });
        const agent = existing ? await updateAgent(deps, auth, existing.id, { config: example.config }) : await createAgent(deps, auth, { name: example.name, config: example.config });
        console.log(`${existing ? 'updated' : 'created'} agent ${agent.id} "${agent.name}" version ${agent.currentVersion}`);
      }
    } finally {
      await prisma.$disconnect();
    }
  });
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(1);
}
