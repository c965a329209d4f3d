import { randomUUID } from 'node:crypto';
import { agentConfigSchema } from '../domain/agent-config.js';
import { AppError } from '../domain/errors.js';
import { analysisIdOf, type AnalysisView } from '../domain/post-call-analysis.js';
import { analysisSettingsOf, type PostCallAnalysisInput } from '../domain/post-call-analysis-run.js';
import { manualAnalysisWorkflowId } from '../domain/workflow-ids.js';
import type { AnalysisRepository } from '../db/repositories/analysis-repository.js';
import type { CallRepository } from '../db/repositories/call-repository.js';
import type { PostCallAnalysis } from '../db/repositories/rows.js';
import type { postCallAnalysis } from '../workflows/post-call-analysis.js';
import type { Auth } from './auth.js';
import type { DbDeps, UseCaseDeps } from './use-case-deps.js';

export function analysisView(row: PostCallAnalysis): AnalysisView {
  return {
    id: row.id,
    callId: row.callId,
    status: row.status,
    trigger: row.trigger as AnalysisView['trigger'],
    summary: row.summary,
    structuredData: (row.structuredData as Record<string, unknown> | null) ?? null,
    success: row.success,
    successReason: row.successReason,
    sentiment: row.sentiment as AnalysisView['sentiment'],
    model: row.model,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

/** The newest analysis of a call, if any: the one `GET /v1/calls/:id` shows. */
export async function latestAnalysis(analyses: AnalysisRepository, callId: string): Promise<AnalysisView | null> {
  const row = await analyses.latest(callId);
  return row ? analysisView(row) : null;
}

async function ownCall(calls: CallRepository, callId: string) {
  const call = await calls.findWithAgent(callId);
  if (!call) throw AppError.notFound('call', callId);
  return call;
}

export async function listAnalyses(deps: DbDeps, auth: Auth, callId: string): Promise<{ data: AnalysisView[] }> {
  const { calls, analyses } = deps.db.forOrganization(auth.organizationId);
  await ownCall(calls, callId);
  const rows = await analyses.ofCall(callId);
  return { data: rows.map(analysisView) };
}

/** Analyses a past call again, with the analysis settings of the agent's newest version (or of the version the call ran). */
export async function rerunAnalysis(deps: Pick<UseCaseDeps, 'db' | 'temporal' | 'config'>, auth: Auth, callId: string, input: { agentVersion: 'latest' | 'call' }) {
  const { calls, agents } = deps.db.forOrganization(auth.organizationId);
  const call = await ownCall(calls, callId);
  if (!call.endedAt) throw new AppError('call_not_ended', 'the call is still going on: it is analysed when it ends', 409);
  const turns = await calls.countCallerTurns(callId);
  if (turns === 0) throw new AppError('nothing_to_analyse', 'the caller said nothing in this call', 409);
  let versionConfig = call.agentVersion?.config;
  if (input.agentVersion === 'latest' && call.agent && !call.agent.deletedAt) {
    const latest = await agents.findVersion(call.agent.id, call.agent.currentVersion);
    versionConfig = latest?.config ?? versionConfig;
  }
  if (!versionConfig) throw new AppError('no_agent_settings', 'the call ran a one-off agent configuration that was not stored: there are no analysis settings to use', 409);
  const config = agentConfigSchema.parse(versionConfig);
  const workflowId = manualAnalysisWorkflowId(callId, randomUUID());
  const run: PostCallAnalysisInput = {
    callId,
    organizationId: auth.organizationId,
    trigger: 'manual',
    settings: analysisSettingsOf(config),
  };
  await deps.temporal.workflow.start<typeof postCallAnalysis>('postCallAnalysis', { taskQueue: deps.config.TEMPORAL_TASK_QUEUE, workflowId, args: [run] });
  return { workflowId, analysisId: analysisIdOf(workflowId), status: 'running' as const };
}
