import type { AgentRepository } from '../db/repositories/agent-repository.js';
import { toPage, type PageQuery } from '../db/repositories/pagination.js';
import type { Agent, AgentVersion } from '../db/repositories/rows.js';
import { type AgentConfig, agentConfigSchema } from '../domain/agent-config.js';
import type { AgentView, CreateAgent, UpdateAgent } from '../domain/agents.js';
import { AppError } from '../domain/errors.js';
import type { Auth } from './auth.js';
import { resolveToolReferences } from './tools.js';
import type { DbDeps } from './use-case-deps.js';

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
async function ownAgent(agents: AgentRepository, id: string): Promise<Agent> {
  const agent = await agents.find(id);
  if (!agent) throw AppError.notFound('agent', id);
  return agent;
}

export async function createAgent(deps: DbDeps, auth: Auth, input: CreateAgent): Promise<AgentView> {
  const config = await resolveToolReferences(deps, auth, input.config);
  const agent = await deps.db.forOrganization(auth.organizationId).agents.create(input.name, config);
  return agentView(agent, agent.versions[0]!);
}

export async function getAgent(deps: DbDeps, auth: Auth, id: string): Promise<AgentView> {
  const { agents } = deps.db.forOrganization(auth.organizationId);
  const agent = await ownAgent(agents, id);
  return agentView(agent, await agents.currentVersion(agent));
}

export async function listAgents(deps: DbDeps, auth: Auth, query: PageQuery) {
  const { agents } = deps.db.forOrganization(auth.organizationId);
  const rows = await agents.list(query);
  const versions = await agents.currentVersions(rows);
  const byAgent = new Map(versions.map((version) => [version.agentId, version]));
  return toPage(rows, query.limit, (agent) => agentView(agent, byAgent.get(agent.id)!));
}

/** Writes version n+1; calls in progress keep the version they started with. */
export async function updateAgent(deps: DbDeps, auth: Auth, id: string, input: UpdateAgent): Promise<AgentView> {
  const resolved = input.config ? await resolveToolReferences(deps, auth, input.config) : undefined;
  return deps.db.transaction(auth.organizationId, async ({ agents }) => {
    const agent = await ownAgent(agents, id);
    const current = await agents.currentVersion(agent);
    const config: AgentConfig = resolved ?? agentConfigSchema.parse(current.config);
    const next = agent.currentVersion + 1;
    if (!(await agents.bumpVersion(agent, next, input.name))) throw new AppError('conflict', `agent ${id} was changed at the same time; retry`, 409);
    const version = await agents.createVersion(id, next, config);
    return agentView(await agents.get(id), version);
  });
}

export async function deleteAgent(deps: DbDeps, auth: Auth, id: string): Promise<void> {
  const { agents } = deps.db.forOrganization(auth.organizationId);
  await ownAgent(agents, id);
  await agents.softDelete(id);
}

export async function listAgentVersions(deps: DbDeps, auth: Auth, id: string) {
  const { agents } = deps.db.forOrganization(auth.organizationId);
  await ownAgent(agents, id);
  return { data: (await agents.versions(id)).map(versionView) };
}

export async function getAgentVersion(deps: DbDeps, auth: Auth, id: string, version: number) {
  const { agents } = deps.db.forOrganization(auth.organizationId);
  await ownAgent(agents, id);
  const row = await agents.findVersion(id, version);
  if (!row) throw AppError.notFound('agent version', `${id}/${version}`);
  return versionView(row);
}

/** The version a new call pins: the one asked for, or the agent's current one. */
export async function resolveAgentVersion(deps: DbDeps, auth: Auth, agentId: string, version?: number): Promise<{ agentId: string; versionId: string; config: AgentConfig }> {
  const { agents } = deps.db.forOrganization(auth.organizationId);
  const agent = await ownAgent(agents, agentId);
  const row = await agents.findVersion(agentId, version ?? agent.currentVersion);
  if (!row) throw AppError.notFound('agent version', `${agentId}/${version}`);
  return { agentId, versionId: row.id, config: agentConfigSchema.parse(row.config) };
}
