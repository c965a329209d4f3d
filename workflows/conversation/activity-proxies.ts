import { type ActivityOptions, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CallActivities } from '../../activities/call-activities.js';
import type { LlmActivities } from '../../activities/llm-activities.js';
import type { TelephonyActivities } from '../../activities/telephony-activities.js';
import type { ToolActivities } from '../../activities/tool-activities.js';
import type { ToolDefinition } from '../../domain/tools.js';
import type { GatewayCallActivities } from '../../domain/gateway-contract.js';

/** Timeouts and retries that hold for an activity whether it runs as a task or locally. */
type CallActivityOptions = Pick<ActivityOptions, 'startToCloseTimeout' | 'retry'>;

const storageOptions: CallActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 50 },
};
export const storage = proxyActivities<CallActivities>(storageOptions);

export const llmWork = proxyActivities<LlmActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

/** Each tool runs with its own timeout and retry policy. */
export function toolActivities(tool: ToolDefinition) {
  return proxyActivities<ToolActivities>({
    startToCloseTimeout: tool.timeoutMs + 1_000,
    retry: {
      maximumAttempts: tool.retry.maximumAttempts,
      initialInterval: tool.retry.initialIntervalMs,
      backoffCoefficient: tool.retry.backoffCoefficient,
      nonRetryableErrorTypes: ['tool_rejected', 'tool_not_configured'],
    },
  });
}

const telephonyOptions: CallActivityOptions = {
  startToCloseTimeout: '30 seconds',
  // Few attempts: a dial that keeps failing should end the call, not ring someone later.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3, nonRetryableErrorTypes: ['telephony_not_configured'] },
};
export const telephony = proxyActivities<TelephonyActivities>(telephonyOptions);

/**
 * The call row's writes and the dial, as local activities: run by the worker inside the
 * workflow task, they spare the server two workflow tasks and three activity tasks a call,
 * which is most of a campaign's load. Calls started before this change replay with the
 * activity tasks their histories have (the `local-call-activities` patch chooses).
 */
export const localStorage = proxyLocalActivities<CallActivities>(storageOptions);
export const localTelephony = proxyLocalActivities<TelephonyActivities>(telephonyOptions);

/** Activities bound to the live socket: on the call's gateway queue, never retried. */
export function gatewayActivities(taskQueue: string, heartbeatTimeout: string) {
  return proxyActivities<GatewayCallActivities>({
    taskQueue,
    startToCloseTimeout: '10 minutes',
    scheduleToStartTimeout: '10 seconds',
    heartbeatTimeout,
    retry: { maximumAttempts: 1 },
  });
}
