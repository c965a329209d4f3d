import { z } from 'zod';
import { agentConfigSchema } from './agent-config.js';

export const startWebCallSchema = z
  .object({
    agent: agentConfigSchema,
  })
  .strict();
export type StartWebCall = z.infer<typeof startWebCallSchema>;

export const callIdSchema = z.uuid({ error: 'not a call id' });

/**
 * Until organizations and API keys exist, every call belongs to this one. Calls keep
 * an organization id from the start so that tenancy needs no data migration later.
 */
export const DEFAULT_ORGANIZATION_ID = '00000000-0000-4000-8000-000000000001';

const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be an E.164 number, e.g. +14155550100');

export const startOutboundCallSchema = z
  .object({
    agent: agentConfigSchema,
    to: e164,
    from: e164,
  })
  .strict();
export type StartOutboundCall = z.infer<typeof startOutboundCallSchema>;
