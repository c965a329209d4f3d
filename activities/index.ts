import type { PrismaClient } from '../generated/prisma/client.js';
import { createCallActivities } from './call-activities.js';
import { createSystemCheckActivities } from './system-check-activities.js';
import { createTelephonyActivities } from './telephony-activities.js';
import type { Telephony } from '../providers/telephony/twilio-telephony.js';

export interface ActivityDeps {
  prisma: PrismaClient;
  /** Names the worker process in rows it writes, for diagnosis. */
  workerId: string;
  /** Absent when Twilio is not configured: dialing then fails with a clear reason. */
  telephony?: Telephony;
}

/** Every activity the platform worker runs, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemCheckActivities(deps),
    ...createCallActivities(deps),
    ...createTelephonyActivities(deps),
  };
}

export type PlatformActivities = ReturnType<typeof createActivities>;
