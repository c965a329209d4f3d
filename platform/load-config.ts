import { existsSync } from 'node:fs';
import { ConfigError } from './config-error.js';
import { configSchema, type AppConfig } from './config-schema.js';

/**
 * Reads `.env` (values already in the environment win) and validates everything
 * with the config schema. Throws one ConfigError naming every bad setting.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): AppConfig {
  if (env === process.env && existsSync(envFile)) process.loadEnvFile(envFile);
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`);
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}
