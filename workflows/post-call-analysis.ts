import { proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { AnalysisActivities } from '../activities/analysis-activities.js';
import type { PostCallAnalysisInput, PostCallAnalysisOutcome } from '../domain/post-call-analysis-run.js';
import { innermostMessage } from './failure-message.js';

const records = proxyLocalActivities<AnalysisActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 50 },
});

const llm = proxyActivities<AnalysisActivities>({
  startToCloseTimeout: '2 minutes',
  // A vendor outage of a few minutes delays the analysis; it does not lose it.
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 8, nonRetryableErrorTypes: ['analysis_empty_call'] },
});

/**
 * The analysis of one finished call: summary, sentiment, the agent's structured fields
 * and a success verdict, stored with the call and sent as `analysis.completed`. Started by
 * the call's workflow (abandoned when it closes) or re-run on demand for any past call.
 */
export async function postCallAnalysis(input: PostCallAnalysisInput): Promise<PostCallAnalysisOutcome> {
  const { workflowId } = workflowInfo();
  const analysisId = await records.recordAnalysisStarted({ workflowId, callId: input.callId, trigger: input.trigger });
  try {
    const result = await llm.analyzeCall(input);
    await records.recordAnalysisCompleted({ analysisId, organizationId: input.organizationId, result });
    return { analysisId, status: 'completed' };
  } catch (error) {
    const message = innermostMessage(error);
    await records.recordAnalysisFailed({ analysisId, organizationId: input.organizationId, error: message });
    return { analysisId, status: 'failed', error: message };
  }
}
