import { proxyActivities } from '@temporalio/workflow';
import type { SystemCheckInput, SystemCheckResult } from '../domain/system-check.js';
import type { SystemCheckActivities } from '../activities/system-check-activities.js';

const { recordSystemCheck } = proxyActivities<SystemCheckActivities>({
  startToCloseTimeout: '15 minutes',
  // A dead worker is noticed within seconds, and the write is retried elsewhere.
  heartbeatTimeout: '3 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 20 },
});

/** api → Temporal → worker activity → PostgreSQL, and the result back to the api. */
export async function systemCheck(input: SystemCheckInput): Promise<SystemCheckResult> {
  return recordSystemCheck(input);
}
