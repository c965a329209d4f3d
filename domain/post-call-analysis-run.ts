// What the postCallAnalysis workflow gets and gives; free of zod, as workflows import it.
import type { AgentConfig, LlmProviderConfig } from './agent-config.js';

export type AnalysisTrigger = 'call-ended' | 'manual';
export type Sentiment = 'positive' | 'neutral' | 'negative';

export interface PostCallAnalysisInput {
  callId: string;
  organizationId: string;
  trigger: AnalysisTrigger;
  /** The agent's analysis settings and models, resolved when the run was started. */
  settings: {
    summaryPrompt?: string;
    structuredData?: { type: 'object'; properties: Record<string, Record<string, unknown>>; required?: string[] };
    successCriteria?: string;
    llm: LlmProviderConfig[];
  };
}

export interface AnalysisResult {
  summary: string;
  sentiment: Sentiment;
  /** Absent without success criteria. */
  success?: boolean;
  successReason?: string;
  structuredData?: Record<string, unknown>;
  model: string;
}

export interface PostCallAnalysisOutcome {
  analysisId: string;
  status: 'completed' | 'failed';
  error?: string;
}

/** The settings an analysis of this agent's calls runs with: its own, its models by default. */
export function analysisSettingsOf(agent: AgentConfig): PostCallAnalysisInput['settings'] {
  const analysis = agent.analysis;
  return {
    ...(analysis?.summaryPrompt ? { summaryPrompt: analysis.summaryPrompt } : {}),
    ...(analysis?.structuredData ? { structuredData: analysis.structuredData } : {}),
    ...(analysis?.successCriteria ? { successCriteria: analysis.successCriteria } : {}),
    llm: analysis?.llm ?? agent.llm,
  };
}
