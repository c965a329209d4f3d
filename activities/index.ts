import type { PrismaClient } from '../generated/prisma/client.js';
import { createCallActivities } from './call-activities.js';
import { createSystemCheckActivities } from './system-check-activities.js';

export interface ActivityDeps {
  prisma: PrismaClient;
  /** Names the worker process in rows it writes, for diagnosis. */
  workerId: string;
}

/** Every activity the platform worker runs, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemCheckActivities(deps),
    ...createCallActivities(deps),
  };
}

export type PlatformActivities = ReturnType<typeof createActivities>;
