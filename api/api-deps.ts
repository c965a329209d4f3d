import type { ProviderDefaults } from '../domain/provider-defaults.js';
import type { Logger } from '../platform/logger.js';
import type { PlatformMetrics } from '../platform/metrics.js';
import type { UseCaseDeps } from '../use-cases/use-case-deps.js';

/** What the routes hand their use-cases, and what the app itself needs besides. */
export interface ApiDeps extends UseCaseDeps {
  log: Logger;
  /** Shown on the dashboard: where the other parts of the platform are. */
  links?: { temporalUi?: string; gateway?: string };
  /** Served on GET /metrics; absent in apps built for tests that do not scrape. */
  metrics?: PlatformMetrics;
  /** What a new agent gets for the chains its configuration leaves out; the schema's own defaults otherwise. */
  providerDefaults?: ProviderDefaults;
}
