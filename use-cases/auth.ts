import type { ApiKeyScope } from '../domain/api-keys.js';

/** Who asks: the organization a key belongs to (which scopes all it touches), the key, what it may do. */
export interface Auth {
  organizationId: string;
  apiKeyId: string;
  scopes: ApiKeyScope[];
}
