import { z } from 'zod';
import { agentConfigSchema } from './agent-config.js';

export const createAgentSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    config: agentConfigSchema,
  })
  .strict();
export type CreateAgent = z.infer<typeof createAgentSchema>;

/** Any change writes a new immutable version; `config` replaces the whole configuration. */
export const updateAgentSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    config: agentConfigSchema.optional(),
  })
  .strict()
  .refine((update) => update.name !== undefined || update.config !== undefined, 'give a name, a config, or both');
export type UpdateAgent = z.infer<typeof updateAgentSchema>;

export const agentVersionViewSchema = z.object({
  id: z.uuid(),
  agentId: z.uuid(),
  version: z.number().int(),
  config: agentConfigSchema,
  createdAt: z.iso.datetime(),
});

export const agentViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  currentVersion: z.number().int(),
  config: agentConfigSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type AgentView = z.infer<typeof agentViewSchema>;
