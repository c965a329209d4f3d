import type { Agent, AgentVersion } from '../generated/prisma/client.js';
import { type AgentConfig, agentConfigSchema } from '../domain/agent-config.js';
import type { AgentView, CreateAgent, UpdateAgent } from '../domain/agents.js';
import { AppError } from '../domain/errors.js';
import type { ApiDeps } from '../api/api-deps.js';

/** Use-cases that only touch the database (the seed script runs them too). */
type DbDeps = Pick<ApiDeps, 'prisma'>;
import type { Auth } from '../api/auth/authenticate.js';
import { pageArgs, toPage } from '../db/repositories/pagination.js';
import { resolveToolReferences } from './tools.js';

function agentView(agent: Agent, version: AgentVersion): AgentView {
  return {
    id: agent.id,
    name: agent.name,
    currentVersion: agent.currentVersion,
    config: agentConfigSchema.parse(version.config),
    createdAt: agent.createdAt.toISOString(),
    updatedAt: agent.updatedAt.toISOString(),
  };
}

function versionView(version: AgentVersion) {
  return { id: version.id, agentId: version.agentId, version: version.version, config: agentConfigSchema.parse(version.config), createdAt: version.createdAt.toISOString() };
}

/** The organization's agent, not deleted; 404 for anyone else's. */
async function ownAgent(deps: DbDeps, auth: Auth, id: string): Promise<Agent> {
  const agent = await deps.prisma.agent.findFirst({ where: { id, organizationId: auth.organizationId, deletedAt: null } });
  if (!agent) throw AppError.notFound('agent', id);
  return agent;
}

export async function createAgent(deps: DbDeps, auth: Auth, input: CreateAgent): Promise<AgentView> {
  const config = await resolveToolReferences(deps, auth, input.config);
  const agent = await deps.prisma.agent.create({
    data: { organizationId: auth.organizationId, name: input.name, currentVersion: 1, versions: { create: { version: 1, config: config as object } } },
    include: { versions: true },
  });
  return agentView(agent, agent.versions[0]!);
}

export async function getAgent(deps: DbDeps, auth: Auth, id: string): Promise<AgentView> {
  const agent = await ownAgent(deps, auth, id);
  const version = await deps.prisma.agentVersion.findUniqueOrThrow({ where: { agentId_version: { agentId: id, version: agent.currentVersion } } });
  return agentView(agent, version);
}

export async function listAgents(deps: DbDeps, auth: Auth, query: { limit: number; cursor?: string }) {
  const page = pageArgs(query);
  const agents = await deps.prisma.agent.findMany({ ...page, where: { AND: [page.where, { organizationId: auth.organizationId, deletedAt: null }] } });
  const versions = await deps.prisma.agentVersion.findMany({ where: { OR: agents.map((agent) => ({ agentId: agent.id, version: agent.currentVersion })) } });
  const byAgent = new Map(versions.map((version) => [version.agentId, version]));
  return toPage(agents, query.limit, (agent) => agentView(agent, byAgent.get(agent.id)!));
}

/** Writes version n+1; calls in progress keep the version they started with. */
export async function updateAgent(deps: DbDeps, auth: Auth, id: string, input: UpdateAgent): Promise<AgentView> {
  const resolved = input.config ? await resolveToolReferences(deps, auth, input.config) : undefined;
  return deps.prisma.$transaction(async (tx) => {
    const agent = await tx.agent.findFirst({ where: { id, organizationId: auth.organizationId, deletedAt: null } });
    if (!agent) throw AppError.notFound('agent', id);
    const current = await tx.agentVersion.findUniqueOrThrow({ where: { agentId_version: { agentId: id, version: agent.currentVersion } } });
    const config: AgentConfig = resolved ?? agentConfigSchema.parse(current.config);
    const next = agent.currentVersion + 1;
    // The version bump is conditional: two concurrent updates cannot both write version n+1.
    const bumped = await tx.agent.updateMany({ where: { id, currentVersion: agent.currentVersion }, data: { currentVersion: next, ...(input.name ? { name: input.name } : {}) } });
    if (bumped.count === 0) throw new AppError('conflict', `agent ${id} was changed at the same time; retry`, 409);
    const version = await tx.agentVersion.create({ data: { agentId: id, version: next, config: config as object } });
    const updated = await tx.agent.findUniqueOrThrow({ where: { id } });
    return agentView(updated, version);
  });
}

export async function deleteAgent(deps: DbDeps, auth: Auth, id: string): Promise<void> {
  await ownAgent(deps, auth, id);
  // Soft: past calls keep pointing at the agent and its versions.
  await deps.prisma.agent.update({ where: { id }, data: { deletedAt: new Date() } });
  await deps.prisma.phoneNumber.updateMany({ where: { agentId: id }, data: { agentId: null } });
}

export async function listAgentVersions(deps: DbDeps, auth: Auth, id: string) {
  await ownAgent(deps, auth, id);
  const versions = await deps.prisma.agentVersion.findMany({ where: { agentId: id }, orderBy: { version: 'desc' } });
  return { data: versions.map(versionView) };
}

export async function getAgentVersion(deps: DbDeps, auth: Auth, id: string, version: number) {
  await ownAgent(deps, auth, id);
  const row = await deps.prisma.agentVersion.findUnique({ where: { agentId_version: { agentId: id, version } } });
  if (!row) throw AppError.notFound('agent version', `${id}/${version}`);
  return versionView(row);
}

/** The version a new call pins: the one asked for, or the agent's current one. */
export async function resolveAgentVersion(deps: DbDeps, auth: Auth, agentId: string, version?: number): Promise<{ agentId: string; versionId: string; config: AgentConfig }> {
  const agent = await ownAgent(deps, auth, agentId);
  const row = await deps.prisma.agentVersion.findUnique({ where: { agentId_version: { agentId, version: version ?? agent.currentVersion } } });
  if (!row) throw AppError.notFound('agent version', `${agentId}/${version}`);
  return { agentId, versionId: row.id, config: agentConfigSchema.parse(row.config) };
}
