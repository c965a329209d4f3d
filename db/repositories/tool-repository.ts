import type { ToolDefinition } from '../../domain/tools.js';
import type { ScopedClient } from './organization-scope.js';
import { pageArgs, type PageQuery } from './pagination.js';

/** One organization's tools; names are unique within it. */
export function toolRepository(prisma: ScopedClient) {
  return {
    find: (id: string) => prisma.tool.findFirst({ where: { id } }),

    findByNames: (names: string[]) => prisma.tool.findMany({ where: { name: { in: names } } }),

    list: (query: PageQuery) => prisma.tool.findMany(pageArgs(query)),

    create: (definition: ToolDefinition) => prisma.tool.create({ data: { name: definition.name, kind: definition.type, config: definition as object } }),

    /** Of a tool this repository found. */
    replace: (id: string, definition: ToolDefinition) => prisma.tool.update({ where: { id }, data: { name: definition.name, kind: definition.type, config: definition as object } }),

    delete: async (id: string) => {
      await prisma.tool.delete({ where: { id } });
    },
  };
}

export type ToolRepository = ReturnType<typeof toolRepository>;
