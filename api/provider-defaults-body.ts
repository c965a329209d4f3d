import { type ProviderDefaults, withProviderDefaults } from '../domain/provider-defaults.js';

/** A request body whose agent configuration (at `key`) gets the platform's default chains for what it leaves out. */
export function withDefaultsAt(raw: unknown, key: 'agent' | 'config', defaults: ProviderDefaults | undefined): unknown {
  if (!defaults || typeof raw !== 'object' || raw === null || !(key in raw)) return raw;
  const body = raw as Record<string, unknown>;
  return { ...body, [key]: withProviderDefaults(body[key], defaults) };
}
