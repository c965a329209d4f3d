import { toPage, type PageQuery } from '../db/repositories/pagination.js';
import type { Tool } from '../db/repositories/rows.js';
import type { ToolRepository } from '../db/repositories/tool-repository.js';
import { isUniqueViolation } from '../db/repositories/unique-violation.js';
import type { AgentConfig } from '../domain/agent-config.js';
import { AppError } from '../domain/errors.js';
import { toolDefinitionSchema, type ToolDefinition, type ToolView } from '../domain/tools.js';
import type { Auth } from './auth.js';
import type { DbDeps } from './use-case-deps.js';

function toolView(row: Tool): ToolView {
  return { id: row.id, name: row.name, type: row.kind, definition: toolDefinitionSchema.parse(row.config), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

async function ownTool(tools: ToolRepository, id: string): Promise<Tool> {
  const tool = await tools.find(id);
  if (!tool) throw AppError.notFound('tool', id);
  return tool;
}

function nameTaken(error: unknown, name: string): never {
  if (isUniqueViolation(error)) throw new AppError('conflict', `a tool named ${name} exists already`, 409);
  throw error;
}

export async function createTool(deps: DbDeps, auth: Auth, definition: ToolDefinition): Promise<ToolView> {
  const row = await deps.db
    .forOrganization(auth.organizationId)
    .tools.create(definition)
    .catch((error: unknown) => nameTaken(error, definition.name));
  return toolView(row);
}

export async function listTools(deps: DbDeps, auth: Auth, query: PageQuery) {
  const rows = await deps.db.forOrganization(auth.organizationId).tools.list(query);
  return toPage(rows, query.limit, toolView);
}

export async function getTool(deps: DbDeps, auth: Auth, id: string): Promise<ToolView> {
  return toolView(await ownTool(deps.db.forOrganization(auth.organizationId).tools, id));
}

/** Agents saved before keep the definition they copied; new versions get this one. */
export async function replaceTool(deps: DbDeps, auth: Auth, id: string, definition: ToolDefinition): Promise<ToolView> {
  const { tools } = deps.db.forOrganization(auth.organizationId);
  await ownTool(tools, id);
  const row = await tools.replace(id, definition).catch((error: unknown) => nameTaken(error, definition.name));
  return toolView(row);
}

export async function deleteTool(deps: DbDeps, auth: Auth, id: string): Promise<void> {
  const { tools } = deps.db.forOrganization(auth.organizationId);
  await ownTool(tools, id);
  await tools.delete(id);
}

/**
 * Replaces tool names in an agent configuration by the organization's definitions, so a
 * saved version (and a call) never changes when a tool is edited later.
 */
export async function resolveToolReferences(deps: DbDeps, auth: Auth, config: AgentConfig): Promise<AgentConfig> {
  const names = config.tools.filter((tool): tool is string => typeof tool === 'string');
  if (names.length === 0) return config;
  const rows = await deps.db.forOrganization(auth.organizationId).tools.findByNames(names);
  const byName = new Map(rows.map((row) => [row.name, toolDefinitionSchema.parse(row.config)]));
  const missing = names.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    throw new AppError('unknown_tool', `no tool named ${missing.join(', ')} in this organization`, 400, missing.map((name) => ({ path: 'config.tools', message: `no tool ${name}` })));
  }
  return { ...config, tools: config.tools.map((tool) => (typeof tool === 'string' ? byName.get(tool)! : tool)) };
}
