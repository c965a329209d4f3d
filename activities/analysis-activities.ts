import { ApplicationFailure } from '@temporalio/activity';
import type { AnalysisResult, AnalysisTrigger, PostCallAnalysisInput, Sentiment } from '../domain/post-call-analysis-run.js';
import { analysisIdOf } from '../domain/post-call-analysis.js';
import type { StartWebhookDelivery } from '../domain/webhooks.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { PlatformMetrics } from '../platform/metrics.js';
import type { CreateLlm } from '../providers/llm/create-llm.js';
import { completeJsonWithModel } from './llm-activities.js';
import { publishWebhookEvent } from './webhook-events.js';
import { turnOrder } from '../db/stored-transcript.js';

export interface AnalysisActivityDeps {
  prisma: PrismaClient;
  createLlm: CreateLlm;
  metrics?: PlatformMetrics;
  startWebhookDelivery?: StartWebhookDelivery;
}

const DEFAULT_SUMMARY_PROMPT = 'Summarise this phone call in at most five sentences: who called, what they wanted, and what was agreed or left open.';
const sentimentValues: Sentiment[] = ['positive', 'neutral', 'negative'];

/** The transcript as the analysing model reads it: what was said and, after a barge-in, what was heard. */
function transcriptText(turns: { role: string; text: string; heardText: string | null; dtmf: string | null; tool: unknown }[]): string {
  return turns
    .map((turn) => {
      if (turn.role === 'user') return `Caller: ${turn.dtmf ? `[pressed ${turn.dtmf}]` : turn.text}`;
      if (turn.role === 'agent') return turn.text || turn.heardText ? `Agent: ${turn.heardText ?? turn.text}` : '';
      const tool = turn.tool as { name?: string } | null;
      return `[tool ${tool?.name ?? ''} returned: ${turn.text.slice(0, 500)}]`;
    })
    .filter(Boolean)
    .join('\n');
}

/** The analysis of a finished call: one LLM call for the verdicts, one for the agent's own fields. */
export function createAnalysisActivities(deps: AnalysisActivityDeps) {
  const analysisView = async (id: string) => {
    const row = await deps.prisma.postCallAnalysis.findUniqueOrThrow({ where: { id } });
    return {
      id: row.id,
      callId: row.callId,
      status: row.status,
      summary: row.summary,
      structuredData: row.structuredData,
      success: row.success,
      successReason: row.successReason,
      sentiment: row.sentiment,
      model: row.model,
      error: row.error,
    };
  };

  return {
    /** The row the API shows as running; keyed by the workflow id, so a retry finds it. */
    async recordAnalysisStarted(input: { workflowId: string; callId: string; trigger: AnalysisTrigger }): Promise<string> {
      const id = analysisIdOf(input.workflowId);
      await deps.prisma.postCallAnalysis.createMany({
        data: [{ id, workflowId: input.workflowId, callId: input.callId, trigger: input.trigger, status: 'running' }],
        skipDuplicates: true,
      });
      return id;
    },

    async analyzeCall(input: PostCallAnalysisInput): Promise<AnalysisResult> {
      const started = Date.now();
      const turns = await deps.prisma.callTurn.findMany({
        where: { callId: input.callId },
        orderBy: turnOrder,
        select: { role: true, text: true, heardText: true, dtmf: true, tool: true },
      });
      if (!turns.some((turn) => turn.role === 'user')) throw ApplicationFailure.nonRetryable('the call has no caller turn to analyse', 'analysis_empty_call');
      const conversation = { role: 'user' as const, content: `Transcript of the call:\n\n${transcriptText(turns)}` };
      const { settings } = input;
      const criteria = settings.successCriteria;
      const verdictSchema = {
        type: 'object' as const,
        properties: {
          summary: { type: 'string' },
          sentiment: { type: 'string', enum: sentimentValues, description: "The caller's overall sentiment" },
          ...(criteria
            ? { success: { type: 'boolean', description: 'Whether the call met the success criteria' }, successReason: { type: 'string', description: 'Why, in one sentence' } }
            : {}),
        },
        required: ['summary', 'sentiment', ...(criteria ? ['success', 'successReason'] : [])],
        additionalProperties: false,
      };
      const instructions = [settings.summaryPrompt ?? DEFAULT_SUMMARY_PROMPT, 'Also judge the sentiment of the caller: positive, neutral or negative.'];
      if (criteria) instructions.push(`Judge whether the call was a success by these criteria, and say why:\n${criteria}`);
      try {
        const [verdict, extracted] = await Promise.all([
          completeJsonWithModel(deps.createLlm, settings.llm, [{ role: 'system', content: instructions.join('\n\n') }, conversation], verdictSchema, 'call_analysis'),
          settings.structuredData
            ? completeJsonWithModel(
                deps.createLlm,
                settings.llm,
                [{ role: 'system', content: 'Extract the requested fields from this phone call. Leave out any field the call does not give.' }, conversation],
                settings.structuredData,
                'call_data',
              )
            : undefined,
        ]);
        const answer = (verdict.result ?? {}) as Record<string, unknown>;
        const result: AnalysisResult = {
          summary: typeof answer.summary === 'string' ? answer.summary : '',
          sentiment: sentimentValues.includes(answer.sentiment as Sentiment) ? (answer.sentiment as Sentiment) : 'neutral',
          model: verdict.model,
        };
        if (criteria && typeof answer.success === 'boolean') {
          result.success = answer.success;
          if (typeof answer.successReason === 'string') result.successReason = answer.successReason;
        }
        if (extracted && extracted.result && typeof extracted.result === 'object' && !Array.isArray(extracted.result)) {
          const known = new Set(Object.keys(settings.structuredData!.properties));
          result.structuredData = Object.fromEntries(Object.entries(extracted.result).filter(([key, value]) => known.has(key) && value !== null && value !== ''));
        }
        deps.metrics?.analysisDuration.observe({ outcome: 'completed' }, (Date.now() - started) / 1000);
        return result;
      } catch (error) {
        deps.metrics?.analysisDuration.observe({ outcome: 'failed' }, (Date.now() - started) / 1000);
        throw error;
      }
    },

    /** Stores the result and tells subscribers (`analysis.completed`); both idempotent. */
    async recordAnalysisCompleted(input: { analysisId: string; organizationId: string; result: AnalysisResult }): Promise<void> {
      const { result } = input;
      await deps.prisma.postCallAnalysis.updateMany({
        where: { id: input.analysisId, status: { not: 'completed' } },
        data: {
          status: 'completed',
          summary: result.summary,
          sentiment: result.sentiment,
          success: result.success ?? null,
          successReason: result.successReason ?? null,
          ...(result.structuredData ? { structuredData: result.structuredData as object } : {}),
          model: result.model,
          error: null,
          completedAt: new Date(),
        },
      });
      await publishWebhookEvent(deps, { organizationId: input.organizationId, type: 'analysis.completed', subject: input.analysisId, data: await analysisView(input.analysisId) });
    },

    async recordAnalysisFailed(input: { analysisId: string; organizationId: string; error: string }): Promise<void> {
      await deps.prisma.postCallAnalysis.updateMany({
        where: { id: input.analysisId, status: 'running' },
        data: { status: 'failed', error: input.error.slice(0, 1_000), completedAt: new Date() },
      });
      await publishWebhookEvent(deps, { organizationId: input.organizationId, type: 'analysis.failed', subject: input.analysisId, data: await analysisView(input.analysisId) });
    },
  };
}

export type AnalysisActivities = ReturnType<typeof createAnalysisActivities>;
