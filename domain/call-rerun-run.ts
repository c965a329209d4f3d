// What the callRerun workflow gets and gives; free of zod, as workflows import it.
import type { AgentConfig } from './agent-config.js';
import type { TranscriptEntry } from './conversation.js';

export interface CallRerunInput {
  rerunId: string;
  organizationId: string;
  sourceCallId: string;
  /** The new call the turns are fed to, workflow `call-<rerunCallId>`. */
  rerunCallId: string;
  agent: AgentConfig;
  agentId?: string;
  agentVersionId?: string;
  /** Re-running from a later turn: the conversation before it, as the original call had it. */
  prior?: TranscriptEntry[];
  /** What the caller said, from the first re-run turn on. */
  callerTurns: string[];
  /** Where `respond` runs for calls with no gateway: the worker's simulator. */
  simulatorTaskQueue: string;
  timeoutMs: number;
}

export interface CallRerunOutcome {
  status: 'completed' | 'failed';
  turns?: number;
  changedTurns?: number;
  error?: string;
}

export interface FeedCallerTurnsInput {
  workflowId: string;
  turns: { turnId: string; text: string }[];
}

export interface FeedCallerTurnsResult {
  /** Turns the call took before it ended (an agent may hang up early). */
  said: number;
}
