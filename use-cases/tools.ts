import type { Tool } from '../generated/prisma/client.js';
import { Prisma } from '../generated/prisma/client.js';
import type { AgentConfig } from '../domain/agent-config.js';
import { AppError } from '../domain/errors.js';
import { toolDefinitionSchema, type ToolDefinition, type ToolView } from '../domain/tools.js';
import type { ApiDeps } from '../api/api-deps.js';

/** Use-cases that only touch the database (the seed script runs them too). */
type DbDeps = Pick<ApiDeps, 'prisma'>;
import type { Auth } from '../api/auth/authenticate.js';
import { pageArgs, toPage } from '../db/repositories/pagination.js';

function toolView(row: Tool): ToolView {
  return { id: row.id, name: row.name, type: row.kind, definition: toolDefinitionSchema.parse(row.config), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

async function ownTool(deps: DbDeps, auth: Auth, id: string): Promise<Tool> {
  const tool = await deps.prisma.tool.findFirst({ where: { id, organizationId: auth.organizationId } });
  if (!tool) throw AppError.notFound('tool', id);
  return tool;
}

function nameTaken(error: unknown, name: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new AppError('conflict', `a tool named ${name} exists already`, 409);
  throw error;
}

export async function createTool(deps: DbDeps, auth: Auth, definition: ToolDefinition): Promise<ToolView> {
  const row = await deps.prisma.tool
    .create({ data: { organizationId: auth.organizationId, name: definition.name, kind: definition.type, config: definition as object } })
    .catch((error: unknown) => nameTaken(error, definition.name));
  return toolView(row);
}

export async function listTools(deps: DbDeps, auth: Auth, query: { limit: number; cursor?: string }) {
  const page = pageArgs(query);
  const rows = await deps.prisma.tool.findMany({ ...page, where: { AND: [page.where, { organizationId: auth.organizationId }] } });
  return toPage(rows, query.limit, toolView);
}

export async function getTool(deps: DbDeps, auth: Auth, id: string): Promise<ToolView> {
  return toolView(await ownTool(deps, auth, id));
}

/** Agents saved before keep the definition they copied; new versions get this one. */
export async function replaceTool(deps: DbDeps, auth: Auth, id: string, definition: ToolDefinition): Promise<ToolView> {
  await ownTool(deps, auth, id);
  const row = await deps.prisma.tool
    .update({ where: { id }, data: { name: definition.name, kind: definition.type, config: definition as object } })
    .catch((error: unknown) => nameTaken(error, definition.name));
  return toolView(row);
}

export async function deleteTool(deps: DbDeps, auth: Auth, id: string): Promise<void> {
  await ownTool(deps, auth, id);
  await deps.prisma.tool.delete({ where: { id } });
}

/**
 * Replaces tool names in an agent configuration by the organization's definitions, so a
 * saved version (and a call) never changes when a tool is edited later.
 */
export async function resolveToolReferences(deps: DbDeps, auth: Auth, config: AgentConfig): Promise<AgentConfig> {
  const names = config.tools.filter((tool): tool is string => typeof tool === 'string');
  if (names.length === 0) return config;
  const rows = await deps.prisma.tool.findMany({ where: { organizationId: auth.organizationId, name: { in: names } } });
  const byName = new Map(rows.map((row) => [row.name, toolDefinitionSchema.parse(row.config)]));
  const missing = names.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    throw new AppError('unknown_tool', `no tool named ${missing.join(', ')} in this organization`, 400, missing.map((name) => ({ path: 'config.tools', message: `no tool ${name}` })));
  }
  return { ...config, tools: config.tools.map((tool) => (typeof tool === 'string' ? byName.get(tool)! : tool)) };
}
