import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { CampaignRepository } from '../db/repositories/campaign-repository.js';
import { toPage, type PageQuery } from '../db/repositories/pagination.js';
import type { Campaign } from '../db/repositories/rows.js';
import { agentConfigSchema } from '../domain/agent-config.js';
import { cancelCampaignSignal, campaignProgressQuery, pauseCampaignSignal, resumeCampaignSignal } from '../domain/campaign-messages.js';
import { OrgIdAttribute } from '../domain/search-attributes.js';
import { campaignWorkflowId } from '../domain/workflow-ids.js';
import type { campaign as campaignWorkflow } from '../workflows/campaign.js';
import { callingWindowSchema, campaignRetrySchema, validateContacts, type CampaignView, type CampaignWorkflowInput, type CreateCampaign, type RejectedRow } from '../domain/campaigns.js';
import { AppError } from '../domain/errors.js';
import { resolveAgentVersion } from './agents.js';
import type { Auth } from './auth.js';
import { pause, type ServerSentEvent } from './event-stream.js';
import { callStatusUrl, mediaSocketUrl } from './public-urls.js';
import type { DbDeps, UseCaseDeps } from './use-case-deps.js';

/** Campaigns: the database, and Temporal for their workflows (a view asks a running one how it is doing). */
export type CampaignDeps = Pick<UseCaseDeps, 'db' | 'temporal'>;

interface CampaignSettings {
  window: CampaignView['window'];
  retry: CampaignView['retry'];
  defaultTimezone: string;
}

/** The campaign's stored window, retry policy and default zone, checked as they are read. */
function settingsOf(campaign: Campaign): CampaignSettings {
  const settings = campaign.settings as unknown as CampaignSettings;
  return { window: callingWindowSchema.parse(settings.window), retry: campaignRetrySchema.parse(settings.retry), defaultTimezone: settings.defaultTimezone };
}

async function ownCampaign(campaigns: CampaignRepository, id: string): Promise<Campaign> {
  const campaign = await campaigns.find(id);
  if (!campaign) throw AppError.notFound('campaign', id);
  return campaign;
}

async function campaignView(deps: CampaignDeps, campaigns: CampaignRepository, campaign: Campaign): Promise<CampaignView> {
  const groups = await campaigns.contactCounts(campaign.id);
  const counts = Object.fromEntries(groups.map((group) => [group.status, group._count._all]));
  // While it runs, the workflow knows best (in flight, retries waiting, paused).
  const live = campaign.workflowId && (campaign.status === 'running' || campaign.status === 'paused' || campaign.status === 'scheduled')
    ? await deps.temporal.workflow.getHandle(campaign.workflowId).query(campaignProgressQuery).catch(() => undefined)
    : undefined;
  return {
    ...(live ? { progress: { ...live, counts: { ...live.counts } } } : {}),
    id: campaign.id,
    name: campaign.name,
    status: campaign.status,
    agentId: campaign.agentId,
    agentVersionId: campaign.agentVersionId,
    from: campaign.fromNumber ?? '',
    maxConcurrentCalls: campaign.maxConcurrentCalls,
    callsPerSecond: campaign.callsPerSecond,
    ...settingsOf(campaign),
    scheduledAt: campaign.scheduledAt?.toISOString() ?? null,
    workflowId: campaign.workflowId,
    counts,
    contacts: Object.values(counts).reduce((sum, count) => sum + count, 0),
    createdAt: campaign.createdAt.toISOString(),
  };
}

export async function createCampaign(deps: CampaignDeps, auth: Auth, input: CreateCampaign): Promise<CampaignView & { import: { accepted: number; rejected: RejectedRow[] } }> {
  const agent = await resolveAgentVersion(deps, auth, input.agentId, input.agentVersion);
  const { campaigns, phoneNumbers } = deps.db.forOrganization(auth.organizationId);
  const number = await phoneNumbers.findByE164(input.from);
  if (!number) throw new AppError('unknown_number', `${input.from} is not one of this organization's phone numbers (POST /v1/phone-numbers)`, 400);
  const settings: CampaignSettings = { window: input.window, retry: input.retry, defaultTimezone: input.defaultTimezone };
  const campaign = await campaigns.create({
    agentId: agent.agentId,
    agentVersionId: agent.versionId,
    fromNumber: input.from,
    name: input.name,
    maxConcurrentCalls: input.maxConcurrentCalls,
    callsPerSecond: input.callsPerSecond,
    settings: settings as object,
    scheduledAt: input.scheduledAt ? new Date(input.scheduledAt) : null,
  });
  const imported = input.contacts ? await insertContacts(campaigns, campaign, input.contacts.map((contact, index) => ({ row: index + 1, input: contact }))) : { accepted: 0, rejected: [] };
  return { ...(await campaignView(deps, campaigns, campaign)), import: imported };
}

/** More contacts, while the campaign has not started. Rows are numbered as the caller sent them. */
export async function importContacts(deps: DbDeps, auth: Auth, id: string, rows: { row: number; input: unknown }[]) {
  const { campaigns } = deps.db.forOrganization(auth.organizationId);
  const campaign = await ownCampaign(campaigns, id);
  if (campaign.status !== 'draft') throw new AppError('campaign_started', 'contacts can be added only before the campaign starts', 409);
  return insertContacts(campaigns, campaign, rows);
}

async function insertContacts(campaigns: CampaignRepository, campaign: Campaign, rows: { row: number; input: unknown }[]) {
  const existing = await campaigns.contactKeys(campaign.id);
  // Imports after the first continue the numbering, so every contact keeps a unique row number.
  const offset = existing.reduce((max, contact) => Math.max(max, contact.rowNumber), 0);
  const { valid, rejected } = validateContacts(rows, new Set(existing.map((contact) => contact.phoneNumber)));
  await campaigns.insertContacts(campaign.id, valid.map((contact) => ({ ...contact, rowNumber: offset + contact.rowNumber })));
  return { accepted: valid.length, rejected };
}

/** Starts (or schedules) the campaign's workflow; starting again is harmless. */
export async function startCampaign(deps: Pick<UseCaseDeps, 'db' | 'temporal' | 'config'>, auth: Auth, id: string): Promise<CampaignView> {
  const { campaigns } = deps.db.forOrganization(auth.organizationId);
  const campaign = await ownCampaign(campaigns, id);
  if (campaign.status === 'completed' || campaign.status === 'canceled') throw new AppError('campaign_ended', `the campaign is ${campaign.status}`, 409);
  const contacts = await campaigns.countContacts(id);
  if (contacts === 0) throw new AppError('no_contacts', 'add contacts before starting (POST /v1/campaigns/:id/contacts)', 409);
  const version = await campaigns.pinnedVersion(campaign);
  const workflowId = campaignWorkflowId(id);
  const input: CampaignWorkflowInput = {
    campaignId: id,
    organizationId: auth.organizationId,
    agentId: campaign.agentId,
    agentVersionId: version.id,
    agent: agentConfigSchema.parse(version.config),
    from: campaign.fromNumber!,
    maxConcurrentCalls: campaign.maxConcurrentCalls,
    callsPerSecond: campaign.callsPerSecond,
    ...settingsOf(campaign),
    ...(campaign.scheduledAt ? { scheduledAt: campaign.scheduledAt.getTime() } : {}),
    streamUrlBase: mediaSocketUrl(deps.config, 'twilio', ''),
    statusCallbackBase: callStatusUrl(deps.config, ''),
    attemptsPerRun: deps.config.CAMPAIGN_ATTEMPTS_PER_RUN,
  };
  try {
    await deps.temporal.workflow.start<typeof campaignWorkflow>('campaign', {
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [input],
      typedSearchAttributes: [{ key: OrgIdAttribute, value: auth.organizationId }],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  const started = await campaigns.markStarted(id, {
    workflowId,
    status: campaign.status === 'draft' ? (campaign.scheduledAt && campaign.scheduledAt.getTime() > Date.now() ? 'scheduled' : 'running') : campaign.status,
  });
  return campaignView(deps, campaigns, started);
}

/** Pause, resume or cancel: a signal to the campaign's workflow. */
export async function controlCampaign(deps: CampaignDeps, auth: Auth, id: string, action: 'pause' | 'resume' | 'cancel'): Promise<CampaignView> {
  const { campaigns } = deps.db.forOrganization(auth.organizationId);
  const campaign = await ownCampaign(campaigns, id);
  if (!campaign.workflowId) throw new AppError('campaign_not_started', 'start the campaign first', 409);
  const signal = { pause: pauseCampaignSignal, resume: resumeCampaignSignal, cancel: cancelCampaignSignal }[action];
  await deps.temporal.workflow
    .getHandle(campaign.workflowId)
    .signal(signal)
    .catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) throw new AppError('campaign_ended', 'the campaign has ended', 409);
      throw error;
    });
  return campaignView(deps, campaigns, campaign);
}

/** One line per contact: where it stands, how many attempts, its last call's outcome and length. */
export async function campaignResultsCsv(deps: DbDeps, auth: Auth, id: string): Promise<string> {
  const { campaigns } = deps.db.forOrganization(auth.organizationId);
  await ownCampaign(campaigns, id);
  const contacts = await campaigns.results(id);
  const header = ['row', 'phone', 'status', 'attempts', 'last_call_id', 'end_reason', 'duration_ms', 'analysis_verdict', 'variables'];
  const lines = contacts.map((contact) =>
    [
      contact.rowNumber,
      contact.phoneNumber,
      contact.status,
      contact.attempts,
      contact.lastCall?.id ?? '',
      contact.lastCall?.endReason ?? '',
      contact.lastCall?.durationMs ?? '',
      contact.lastCall?.analyses[0]?.success ?? '',
      JSON.stringify(contact.variables ?? {}),
    ]
      .map(csvField)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

/**
 * RFC 4180: quote fields with commas, quotes or line breaks. Every column is ours (numbers,
 * enums, ids, E.164, JSON starting with `{`), so none can start a spreadsheet formula.
 */
function csvField(value: string | number | boolean): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Progress as it changes (every second at most), then `ended` with the final view. */
export async function* followCampaign(deps: CampaignDeps, auth: Auth, id: string, signal: AbortSignal): AsyncIterable<ServerSentEvent> {
  let last = '';
  while (!signal.aborted) {
    const view = await getCampaign(deps, auth, id);
    if (view.status === 'completed' || view.status === 'canceled') {
      yield { event: 'ended', data: view };
      return;
    }
    const current = JSON.stringify([view.status, view.counts, view.progress]);
    if (current !== last) yield { event: 'progress', data: view };
    last = current;
    await pause(1_000, signal);
  }
}

export async function getCampaign(deps: CampaignDeps, auth: Auth, id: string): Promise<CampaignView> {
  const { campaigns } = deps.db.forOrganization(auth.organizationId);
  return campaignView(deps, campaigns, await ownCampaign(campaigns, id));
}

export async function listCampaigns(deps: CampaignDeps, auth: Auth, query: PageQuery) {
  const { campaigns } = deps.db.forOrganization(auth.organizationId);
  const rows = await campaigns.list(query);
  const views = await Promise.all(rows.map((row) => campaignView(deps, campaigns, row)));
  const byId = new Map(views.map((view) => [view.id, view]));
  return toPage(rows, query.limit, (row) => byId.get(row.id)!);
}
