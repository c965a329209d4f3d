import { randomUUID } from 'node:crypto';
import { agentConfigSchema } from '../domain/agent-config.js';
import { AppError } from '../domain/errors.js';
import { analysisIdOf, type AnalysisView } from '../domain/post-call-analysis.js';
import { analysisSettingsOf, type PostCallAnalysisInput } from '../domain/post-call-analysis-run.js';
import { manualAnalysisWorkflowId } from '../domain/workflow-ids.js';
import type { PostCallAnalysis } from '../generated/prisma/client.js';
import type { postCallAnalysis } from '../workflows/post-call-analysis.js';
import type { ApiDeps } from '../api/api-deps.js';
import type { Auth } from '../api/auth/authenticate.js';

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
export async function latestAnalysis(deps: Pick<ApiDeps, 'prisma'>, callId: string): Promise<AnalysisView | null> {
  const row = await deps.prisma.postCallAnalysis.findFirst({ where: { callId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  return row ? analysisView(row) : null;
}

async function ownEndedCall(deps: ApiDeps, auth: Auth, callId: string) {
  const call = await deps.prisma.call.findFirst({
    where: { id: callId, organizationId: auth.organizationId },
    include: { agentVersion: true, agent: { select: { id: true, currentVersion: true, deletedAt: true } } },
  });
  if (!call) throw AppError.notFound('call', callId);
  return call;
}

export async function listAnalyses(deps: ApiDeps, auth: Auth, callId: string): Promise<{ data: AnalysisView[] }> {
  await ownEndedCall(deps, auth, callId);
  const rows = await deps.prisma.postCallAnalysis.findMany({ where: { callId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  return { data: rows.map(analysisView) };
}

/** Analyses a past call again, with the analysis settings of the agent's newest version (or of the version the call ran). */
export async function rerunAnalysis(deps: ApiDeps, auth: Auth, callId: string, input: { agentVersion: 'latest' | 'call' }) {
  const call = await ownEndedCall(deps, auth, callId);
  if (!call.endedAt) throw new AppError('call_not_ended', 'the call is still going on: it is analysed when it ends', 409);
  const turns = await deps.prisma.callTurn.count({ where: { callId, role: 'user' } });
  if (turns === 0) throw new AppError('nothing_to_analyse', 'the caller said nothing in this call', 409);
  let versionConfig = call.agentVersion?.config;
  if (input.agentVersion === 'latest' && call.agent && !call.agent.deletedAt) {
    const latest = await deps.prisma.agentVersion.findUnique({ where: { agentId_version: { agentId: call.agent.id, version: call.agent.currentVersion } } });
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
