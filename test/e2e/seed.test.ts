import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { createPrismaClient } from '../../db/prisma-client.js';
import { createTestOrganization } from '../support/platform-roles.js';

const run = promisify(execFile);

describe('npm run seed', () => {
  it('loads the example agents and their tools into an organization; again, as new versions', async () => {
    const { organizationId } = await createTestOrganization();
    const seed = () => run(process.execPath, ['--import', 'tsx', 'launcher/seed.ts', '--organization-id', organizationId], { env: { ...process.env } });
    const first = await seed();
    expect(first.stdout).toContain('created agent');
    await seed();

    const prisma = createPrismaClient(process.env.DATABASE_URL!);
    try {
      const agents = await prisma.agent.findMany({ where: { organizationId }, orderBy: { name: 'asc' } });
      expect(agents.map((agent) => [agent.name, agent.currentVersion])).toEqual([
        ['Dental receptionist', 2],
        ['Real-estate lead qualifier', 2],
      ]);
      const tools = await prisma.tool.findMany({ where: { organizationId } });
      expect(tools.map((tool) => tool.name)).toEqual(['book_appointment']);
      // The version carries the tool's definition, not its name.
      const version = await prisma.agentVersion.findFirstOrThrow({ where: { agentId: agents[0]!.id, version: 2 } });
      expect((version.config as { tools: { name: string; type: string }[] }).tools).toEqual([expect.objectContaining({ name: 'book_appointment', type: 'http' })]);
    } finally {
      await prisma.$disconnect();
    }
  });
});
