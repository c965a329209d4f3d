import type { ToolDefinition } from '../../domain/tools.js';
import type { DatabaseClient } from './database-client.js';
import { pageArgs, type PageQuery } from './pagination.js';

/** One organization's tools; names are unique within it. */
export function toolRepository(prisma: DatabaseClient, organizationId: string) {
  return {
    find: (id: string) => prisma.tool.findFirst({ where: { id, organizationId } }),

    findByNames: (names: string[]) => prisma.tool.findMany({ where: { organizationId, name: { in: names } } }),

    list: (query: PageQuery) => {
      const page = pageArgs(query);
      return prisma.tool.findMany({ ...page, where: { AND: [page.where, { organizationId }] } });
    },

    create: (definition: ToolDefinition) => prisma.tool.create({ data: { organizationId, name: definition.name, kind: definition.type, config: definition as object } }),

    /** Of a tool this repository found. */
    replace: (id: string, definition: ToolDefinition) => prisma.tool.update({ where: { id }, data: { name: definition.name, kind: definition.type, config: definition as object } }),

    delete: async (id: string) => {
      await prisma.tool.delete({ where: { id } });
    },
  };
}

export type ToolRepository = ReturnType<typeof toolRepository>;
