import { z } from 'zod';

/** What a key may do. `admin` may do everything; every key may read. */
export const apiKeyScopes = ['admin', 'agents:write', 'calls:write', 'read'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const createApiKeySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    scopes: z.array(z.enum(apiKeyScopes)).min(1).max(apiKeyScopes.length).default(['read']),
  })
  .strict();
export type CreateApiKey = z.infer<typeof createApiKeySchema>;

export const apiKeyViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The first characters of the key, to tell keys apart. */
  prefix: z.string(),
  scopes: z.array(z.enum(apiKeyScopes)),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;

/** Only in the response that creates it: the key itself is never stored, only its hash. */
export const createdApiKeySchema = apiKeyViewSchema.extend({ key: z.string() });

export function grants(scopes: readonly ApiKeyScope[], needed: ApiKeyScope): boolean {
  return needed === 'read' || scopes.includes('admin') || scopes.includes(needed);
}

/** Database enum values (`agents_write`) ↔ API scopes (`agents:write`). */
export const scopeToDb = (scope: ApiKeyScope) => scope.replace(':', '_') as 'admin' | 'agents_write' | 'calls_write' | 'read';
export const scopeFromDb = (scope: string) => scope.replace('_', ':') as ApiKeyScope;
