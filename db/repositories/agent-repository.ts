import type { AgentConfig } from '../../domain/agent-config.js';
import type { Agent } from '../../generated/prisma/client.js';
import type { ScopedClient } from './organization-scope.js';
import { pageArgs, type PageQuery } from './pagination.js';

/**
 * One organization's agents and their immutable versions. A deleted agent is not found;
 * versions are reached through an agent this repository found.
 */
export function agentRepository(prisma: ScopedClient) {
  const live = { deletedAt: null };
  return {
    find: (id: string) => prisma.agent.findFirst({ where: { id, ...live } }),

    exists: async (id: string) => (await prisma.agent.count({ where: { id, ...live } })) > 0,

    create: (name: string, config: AgentConfig) =>
      prisma.agent.create({
        data: { name, currentVersion: 1, versions: { create: { version: 1, config: config as object } } },
        include: { versions: true },
      }),

    list: (query: PageQuery) => {
      const page = pageArgs(query);
      return prisma.agent.findMany({ ...page, where: { AND: [page.where, live] } });
    },

    /** The agent as it is now, by id alone: read again after its version was bumped. */
    get: (id: string) => prisma.agent.findUniqueOrThrow({ where: { id } }),

    /** The agent a call of this organization names, deleted or not. */
    ofCall: (id: string) => prisma.agent.findUnique({ where: { id } }),

    /**
     * Moves the agent from its current version to `next`, only if no one else has: two
     * concurrent updates cannot both write the same version. False when someone did.
     */
    bumpVersion: async (agent: Agent, next: number, name?: string) => {
      const bumped = await prisma.agent.updateMany({ where: { id: agent.id, currentVersion: agent.currentVersion }, data: { currentVersion: next, ...(name ? { name } : {}) } });
      return bumped.count > 0;
    },

    /** Soft: past calls keep pointing at the agent and its versions; its numbers stop answering. */
    softDelete: async (id: string) => {
      await prisma.agent.update({ where: { id }, data: { deletedAt: new Date() } });
      await prisma.phoneNumber.updateMany({ where: { agentId: id }, data: { agentId: null } });
    },

    currentVersion: (agent: Pick<Agent, 'id' | 'currentVersion'>) =>
      prisma.agentVersion.findUniqueOrThrow({ where: { agentId_version: { agentId: agent.id, version: agent.currentVersion } } }),

    currentVersions: (agents: Agent[]) => prisma.agentVersion.findMany({ where: { OR: agents.map((agent) => ({ agentId: agent.id, version: agent.currentVersion })) } }),

    findVersion: (agentId: string, version: number) => prisma.agentVersion.findUnique({ where: { agentId_version: { agentId, version } } }),

    findVersionById: (id: string) => prisma.agentVersion.findUnique({ where: { id } }),

    getVersionById: (id: string) => prisma.agentVersion.findUniqueOrThrow({ where: { id } }),

    versions: (agentId: string) => prisma.agentVersion.findMany({ where: { agentId }, orderBy: { version: 'desc' } }),

    createVersion: (agentId: string, version: number, config: AgentConfig) => prisma.agentVersion.create({ data: { agentId, version, config: config as object } }),
  };
}

export type AgentRepository = ReturnType<typeof agentRepository>;
