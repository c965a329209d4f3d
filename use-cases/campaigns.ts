import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { Campaign } from '../generated/prisma/client.js';
import { agentConfigSchema } from '../domain/agent-config.js';
import { cancelCampaignSignal, campaignProgressQuery, pauseCampaignSignal, resumeCampaignSignal } from '../domain/campaign-messages.js';
import { OrgIdAttribute } from '../domain/search-attributes.js';
import { campaignWorkflowId } from '../domain/workflow-ids.js';
import type { campaign as campaignWorkflow } from '../workflows/campaign.js';
import { callStatusUrl, mediaSocketUrl } from './public-urls.js';
import { pause, type ServerSentEvent } from '../api/sse.js';
import { callingWindowSchema, campaignRetrySchema, validateContacts, type CampaignView, type CampaignWorkflowInput, type CreateCampaign, type RejectedRow } from '../domain/campaigns.js';
import { AppError } from '../domain/errors.js';
import type { ApiDeps } from '../api/api-deps.js';
import type { Auth } from '../api/auth/authenticate.js';
import { resolveAgentVersion } from './agents.js';
import { pageArgs, toPage } from '../db/repositories/pagination.js';

/** Inserted in chunks: one statement per 1,000 contacts keeps a 100,000-row import quick. */
const INSERT_CHUNK = 1_000;

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

async function ownCampaign(deps: ApiDeps, auth: Auth, id: string): Promise<Campaign> {
  const campaign = await deps.prisma.campaign.findFirst({ where: { id, organizationId: auth.organizationId } });
  if (!campaign) throw AppError.notFound('campaign', id);
  return campaign;
}

async function campaignView(deps: ApiDeps, campaign: Campaign): Promise<CampaignView> {
  const groups = await deps.prisma.campaignContact.groupBy({ by: ['status'], where: { campaignId: campaign.id }, _count: { _all: true } });
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

export async function createCampaign(deps: ApiDeps, auth: Auth, input: CreateCampaign): Promise<CampaignView & { import: { accepted: number; rejected: RejectedRow[] } }> {
  const agent = await resolveAgentVersion(deps, auth, input.agentId, input.agentVersion);
  const number = await deps.prisma.phoneNumber.findFirst({ where: { organizationId: auth.organizationId, e164: input.from } });
  if (!number) throw new AppError('unknown_number', `${input.from} is not one of this organization's phone numbers (POST /v1/phone-numbers)`, 400);
  const settings: CampaignSettings = { window: input.window, retry: input.retry, defaultTimezone: input.defaultTimezone };
  const campaign = await deps.prisma.campaign.create({
    data: {
      organizationId: auth.organizationId,
      agentId: agent.agentId,
      agentVersionId: agent.versionId,
      fromNumber: input.from,
      name: input.name,
      maxConcurrentCalls: input.maxConcurrentCalls,
      callsPerSecond: input.callsPerSecond,
      settings: settings as object,
      scheduledAt: input.scheduledAt ? new Date(input.scheduledAt) : null,
    },
  });
  const imported = input.contacts ? await insertContacts(deps, campaign, input.contacts.map((contact, index) => ({ row: index + 1, input: contact }))) : { accepted: 0, rejected: [] };
  return { ...(await campaignView(deps, campaign)), import: imported };
}

/** More contacts, while the campaign has not started. Rows are numbered as the caller sent them. */
export async function importContacts(deps: ApiDeps, auth: Auth, id: string, rows: { row: number; input: unknown }[]) {
  const campaign = await ownCampaign(deps, auth, id);
  if (campaign.status !== 'draft') throw new AppError('campaign_started', 'contacts can be added only before the campaign starts', 409);
  return insertContacts(deps, campaign, rows);
}

async function insertContacts(deps: ApiDeps, campaign: Campaign, rows: { row: number; input: unknown }[]) {
  const existing = await deps.prisma.campaignContact.findMany({ where: { campaignId: campaign.id }, select: { phoneNumber: true, rowNumber: true } });
  // Imports after the first continue the numbering, so every contact keeps a unique row number.
  const offset = existing.reduce((max, contact) => Math.max(max, contact.rowNumber), 0);
  const { valid, rejected } = validateContacts(rows, new Set(existing.map((contact) => contact.phoneNumber)));
  for (let at = 0; at < valid.length; at += INSERT_CHUNK) {
    await deps.prisma.campaignContact.createMany({
      data: valid.slice(at, at + INSERT_CHUNK).map((contact) => ({
        campaignId: campaign.id,
        rowNumber: offset + contact.rowNumber,
        phoneNumber: contact.phoneNumber,
        timezone: contact.timezone,
        variables: contact.variables,
      })),
    });
  }
  return { accepted: valid.length, rejected };
}

/** Starts (or schedules) the campaign's workflow; starting again is harmless. */
export async function startCampaign(deps: ApiDeps, auth: Auth, id: string): Promise<CampaignView> {
  const campaign = await ownCampaign(deps, auth, id);
  if (campaign.status === 'completed' || campaign.status === 'canceled') throw new AppError('campaign_ended', `the campaign is ${campaign.status}`, 409);
  const contacts = await deps.prisma.campaignContact.count({ where: { campaignId: id } });
  if (contacts === 0) throw new AppError('no_contacts', 'add contacts before starting (POST /v1/campaigns/:id/contacts)', 409);
  const version = await deps.prisma.agentVersion.findUniqueOrThrow({ where: { id: campaign.agentVersionId! } });
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
  const started = await deps.prisma.campaign.update({
    where: { id },
    data: { workflowId, status: campaign.status === 'draft' ? (campaign.scheduledAt && campaign.scheduledAt.getTime() > Date.now() ? 'scheduled' : 'running') : campaign.status },
  });
  return campaignView(deps, started);
}

/** Pause, resume or cancel: a signal to the campaign's workflow. */
export async function controlCampaign(deps: ApiDeps, auth: Auth, id: string, action: 'pause' | 'resume' | 'cancel'): Promise<CampaignView> {
  const campaign = await ownCampaign(deps, auth, id);
  if (!campaign.workflowId) throw new AppError('campaign_not_started', 'start the campaign first', 409);
  const signal = { pause: pauseCampaignSignal, resume: resumeCampaignSignal, cancel: cancelCampaignSignal }[action];
  await deps.temporal.workflow
    .getHandle(campaign.workflowId)
    .signal(signal)
    .catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) throw new AppError('campaign_ended', 'the campaign has ended', 409);
      throw error;
    });
  return campaignView(deps, campaign);
}

/** One line per contact: where it stands, how many attempts, its last call's outcome and length. */
export async function campaignResultsCsv(deps: ApiDeps, auth: Auth, id: string): Promise<string> {
  await ownCampaign(deps, auth, id);
  const contacts = await deps.prisma.campaignContact.findMany({
    where: { campaignId: id },
    orderBy: { rowNumber: 'asc' },
    select: {
      rowNumber: true,
      phoneNumber: true,
      status: true,
      attempts: true,
      variables: true,
      lastCall: { select: { id: true, endReason: true, durationMs: true, analyses: { select: { success: true }, orderBy: { createdAt: 'desc' }, take: 1 } } },
    },
  });
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
export async function* followCampaign(deps: ApiDeps, auth: Auth, id: string, signal: AbortSignal): AsyncIterable<ServerSentEvent> {
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

export async function getCampaign(deps: ApiDeps, auth: Auth, id: string): Promise<CampaignView> {
  return campaignView(deps, await ownCampaign(deps, auth, id));
}

export async function listCampaigns(deps: ApiDeps, auth: Auth, query: { limit: number; cursor?: string }) {
  const page = pageArgs(query);
  const rows = await deps.prisma.campaign.findMany({ ...page, where: { AND: [page.where, { organizationId: auth.organizationId }] } });
  const views = await Promise.all(rows.map((row) => campaignView(deps, row)));
  const byId = new Map(views.map((view) => [view.id, view]));
  return toPage(rows, query.limit, (row) => byId.get(row.id)!);
}
