import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { AgentIdAttribute, CallIdAttribute, CallStatusAttribute, CampaignIdAttribute, OrgIdAttribute } from '../domain/search-attributes.js';

/** Calls that ended badly say so in `CallStatus` (their end reason) even when their workflow completed. */
export const FAILED_CALL_STATUSES = ['error', 'media-lost', 'no-media'] as const;
const FAILED_EXECUTION_STATUSES = ['Failed', 'TimedOut', 'Terminated'] as const;

export interface WorkflowFilters {
  /** Workflows that failed, timed out or were terminated, and calls that ended in error, media loss or no media. */
  failed?: boolean;
  running?: boolean;
  /** Call end reasons (`CallStatus`), e.g. `busy`, `hangup-caller`; `live` while a call runs. */
  callStatus?: string[];
  /** Workflow types: conversation, campaign, postCallAnalysis, webhookDelivery, callRerun, systemCheck. */
  type?: string[];
  organizationId?: string;
  agentId?: string;
  campaignId?: string;
  callId?: string;
  /** Started at or after / before. */
  since?: Date;
  until?: Date;
  /** Anything else, in Temporal's list filter syntax; ANDed with the rest. */
  query?: string;
}

/** Values go into the query quoted; ids, statuses and type names need nothing a quote could break. */
function quoted(value: string, what: string): string {
  if (!/^[\w.:@+-]{1,200}$/.test(value)) throw new Error(`${what} ${JSON.stringify(value)}: only letters, digits and . : @ + - _ are allowed`);
  return `'${value}'`;
}

function oneOf(field: string, values: readonly string[], what: string): string {
  return values.length === 1 ? `${field} = ${quoted(values[0]!, what)}` : `${field} IN (${values.map((value) => quoted(value, what)).join(', ')})`;
}

/** The filters as a Temporal visibility query (the List Filter syntax of `temporal workflow list --query`). */
export function visibilityQuery(filters: WorkflowFilters): string {
  const clauses: string[] = [];
  if (filters.failed) clauses.push(`(${oneOf('ExecutionStatus', FAILED_EXECUTION_STATUSES, 'status')} OR ${oneOf(CallStatusAttribute.name, FAILED_CALL_STATUSES, 'call status')})`);
  if (filters.running) clauses.push(`ExecutionStatus = 'Running'`);
  if (filters.callStatus?.length) clauses.push(oneOf(CallStatusAttribute.name, filters.callStatus, 'call status'));
  if (filters.type?.length) clauses.push(oneOf('WorkflowType', filters.type, 'workflow type'));
  if (filters.organizationId) clauses.push(`${OrgIdAttribute.name} = ${quoted(filters.organizationId, 'organization')}`);
  if (filters.agentId) clauses.push(`${AgentIdAttribute.name} = ${quoted(filters.agentId, 'agent')}`);
  if (filters.campaignId) clauses.push(`${CampaignIdAttribute.name} = ${quoted(filters.campaignId, 'campaign')}`);
  if (filters.callId) clauses.push(`${CallIdAttribute.name} = ${quoted(filters.callId, 'call')}`);
  if (filters.since) clauses.push(`StartTime >= '${filters.since.toISOString()}'`);
  if (filters.until) clauses.push(`StartTime < '${filters.until.toISOString()}'`);
  if (filters.query?.trim()) clauses.push(`(${filters.query.trim()})`);
  return clauses.join(' AND ');
}

export interface WorkflowRow {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  callStatus: string | null;
  organizationId: string | null;
  agentId: string | null;
  campaignId: string | null;
  startTime: string;
  closeTime: string | null;
  historyLength: number;
}

function rowOf(execution: WorkflowExecutionInfo): WorkflowRow {
  const attribute = (key: typeof CallStatusAttribute) => execution.typedSearchAttributes.get(key) ?? null;
  return {
    workflowId: execution.workflowId,
    runId: execution.runId,
    type: execution.type,
    status: execution.status.name,
    callStatus: attribute(CallStatusAttribute),
    organizationId: attribute(OrgIdAttribute),
    agentId: attribute(AgentIdAttribute),
    campaignId: attribute(CampaignIdAttribute),
    startTime: execution.startTime.toISOString(),
    closeTime: execution.closeTime?.toISOString() ?? null,
    historyLength: execution.historyLength,
  };
}

/** Workflow runs matching the filters, newest first, at most `limit`. */
export async function listWorkflows(client: Client, filters: WorkflowFilters, limit: number): Promise<WorkflowRow[]> {
  const rows: WorkflowRow[] = [];
  const query = visibilityQuery(filters);
  for await (const execution of client.workflow.list(query ? { query } : {})) {
    rows.push(rowOf(execution));
    if (rows.length >= limit) break;
  }
  return rows;
}

export interface StuckWorkflow extends WorkflowRow {
  /** Why it is stuck: its workflow task keeps failing, or an activity keeps being retried. */
  reason: string;
}

/**
 * Running workflows that are not getting anywhere: their workflow task has failed and is
 * being retried (a bug or a nondeterminism error: `ops reset` after the fix), or an
 * activity is on its `minAttempts`-th attempt or later. Each candidate is described, so
 * at most `scan` running workflows are looked at.
 */
export async function findStuckWorkflows(client: Client, filters: WorkflowFilters, options: { scan: number; minAttempts: number }): Promise<StuckWorkflow[]> {
  const stuck: StuckWorkflow[] = [];
  for (const row of await listWorkflows(client, { ...filters, running: true }, options.scan)) {
    const { raw } = await client.workflow.getHandle(row.workflowId, row.runId).describe();
    const task = raw.pendingWorkflowTask;
    if (task && (task.attempt ?? 1) > 1) {
      stuck.push({ ...row, reason: `workflow task failing (attempt ${task.attempt})` });
      continue;
    }
    const retrying = (raw.pendingActivities ?? []).find((activity) => (activity.attempt ?? 1) >= options.minAttempts);
    if (retrying) {
      const failure = retrying.lastFailure?.message ? `: ${retrying.lastFailure.message.slice(0, 200)}` : '';
      stuck.push({ ...row, reason: `activity ${retrying.activityType?.name ?? '?'} on attempt ${retrying.attempt}${failure}` });
    }
  }
  return stuck;
}
