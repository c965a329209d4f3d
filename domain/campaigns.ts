import { z } from 'zod';
import type { AgentConfig } from './agent-config.js';
import { e164Schema } from './phone-numbers.js';

/** An IANA time zone the runtime knows, e.g. America/New_York. */
export const timeZoneSchema = z.string().refine((zone) => isTimeZone(zone), 'not an IANA time zone, e.g. America/New_York');

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');

/** When contacts may be called, in each contact's own time zone: from `start` to `end` on `days` (1 = Monday … 7 = Sunday). */
export const callingWindowSchema = z
  .object({
    start: clockTime.default('09:00'),
    end: clockTime.default('20:00'),
    days: z.array(z.number().int().min(1).max(7)).min(1).max(7).default([1, 2, 3, 4, 5, 6, 7]),
  })
  .strict()
  .refine((window) => window.start < window.end, 'start must be before end (windows do not cross midnight)');
export type CallingWindow = z.infer<typeof callingWindowSchema>;

export const retryableOutcomes = ['no_answer', 'busy', 'failed', 'voicemail'] as const;
export type RetryableOutcome = (typeof retryableOutcomes)[number];

const outcomeRetrySchema = (maximumAttempts: number, backoffMs: number) =>
  z
    .object({
      /** Attempts in all, the first included. */
      maximumAttempts: z.number().int().min(1).max(10).default(maximumAttempts),
      backoffMs: z.number().int().min(0).max(7 * 24 * 3_600_000).default(backoffMs),
      backoffCoefficient: z.number().min(1).max(10).default(2),
    })
    .strict()
    .default({ maximumAttempts, backoffMs, backoffCoefficient: 2 });

/** How often, and how much later, to call again after each kind of unsuccessful attempt. */
export const campaignRetrySchema = z
  .object({
    no_answer: outcomeRetrySchema(3, 3_600_000),
    busy: outcomeRetrySchema(3, 600_000),
    failed: outcomeRetrySchema(2, 600_000),
    voicemail: outcomeRetrySchema(1, 3_600_000),
  })
  .strict();
export type CampaignRetry = z.infer<typeof campaignRetrySchema>;

const variableValue = z.union([z.string().max(2_000), z.number(), z.boolean()]);

/** One person to call; `variables` fill `{{vars.x}}` in the agent's prompts and tools. */
export const contactInputSchema = z
  .object({
    phone: z.string().max(64),
    timezone: z.string().max(64).optional(),
    variables: z.record(z.string().max(100), variableValue).optional(),
  })
  .strict();
export type ContactInput = z.infer<typeof contactInputSchema>;

export const createCampaignSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    agentId: z.uuid(),
    /** Default: the agent's current version when the campaign is created. */
    agentVersion: z.number().int().min(1).max(1_000_000).optional(),
    /** The caller id: one of the organization's numbers. */
    from: e164Schema,
    maxConcurrentCalls: z.number().int().min(1).max(1_000).default(10),
    callsPerSecond: z.number().min(0.01).max(200).default(1),
    window: callingWindowSchema.default(() => callingWindowSchema.parse({})),
    /** For contacts without a time zone of their own. */
    defaultTimezone: timeZoneSchema.default('UTC'),
    // The defaults each outcome's policy has (above).
    retry: campaignRetrySchema.default(() => campaignRetrySchema.parse({})),
    /** Start later; default: when started. */
    scheduledAt: z.iso.datetime({ offset: true }).optional(),
    /** Contacts as JSON; a CSV goes to POST /v1/campaigns/:id/contacts instead (or as well). */
    contacts: z.array(z.unknown()).max(100_000).optional(),
  })
  .strict();
export type CreateCampaign = z.infer<typeof createCampaignSchema>;

/** A row left out of an import, and why. `row` is the CSV line (the header is line 1) or the JSON index + 1. */
export const rejectedRowSchema = z.object({ row: z.number().int(), reason: z.string() });
export type RejectedRow = z.infer<typeof rejectedRowSchema>;

export const contactImportSchema = z.object({ accepted: z.number().int(), rejected: z.array(rejectedRowSchema) });

export const campaignContactStatuses = ['pending', 'dialing', 'completed', 'failed', 'no_answer', 'busy', 'voicemail', 'skipped'] as const;
export const campaignStatuses = ['draft', 'scheduled', 'running', 'paused', 'completed', 'canceled'] as const;

export const campaignViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  status: z.enum(campaignStatuses),
  agentId: z.uuid(),
  agentVersionId: z.uuid().nullable(),
  from: z.string(),
  maxConcurrentCalls: z.number().int(),
  callsPerSecond: z.number(),
  window: callingWindowSchema,
  defaultTimezone: z.string(),
  retry: campaignRetrySchema,
  scheduledAt: z.iso.datetime().nullable(),
  workflowId: z.string().nullable(),
  /** Contacts by status. */
  counts: z.record(z.string(), z.number().int()),
  contacts: z.number().int(),
  createdAt: z.iso.datetime(),
  /** While the workflow runs: its live view (calls in flight, retries, outcomes so far). */
  progress: z
    .object({
      status: z.enum(['scheduled', 'running', 'paused', 'canceling', 'completed', 'canceled']),
      counts: z.record(z.string(), z.number().int()),
      inFlight: z.number().int(),
      runs: z.number().int(),
      historyLength: z.number().int(),
    })
    .optional(),
});
export type CampaignView = z.infer<typeof campaignViewSchema>;

/** A contact accepted for calling, normalised. */
export interface ValidContact {
  rowNumber: number;
  phoneNumber: string;
  timezone: string | null;
  variables: Record<string, string | number | boolean>;
}

/**
 * Checks contacts one by one: a bad row is reported with its row number and why, and
 * the good rows are kept. A number seen before in the same import is a duplicate.
 */
export function validateContacts(rows: { row: number; input: unknown }[], seen = new Set<string>()): { valid: ValidContact[]; rejected: RejectedRow[] } {
  const valid: ValidContact[] = [];
  const rejected: RejectedRow[] = [];
  const firstRow = new Map<string, number>();
  for (const { row, input } of rows) {
    const parsed = contactInputSchema.safeParse(input);
    if (!parsed.success) {
      rejected.push({ row, reason: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ') });
      continue;
    }
    const phone = normalisePhone(parsed.data.phone);
    if (!e164Schema.safeParse(phone).success) {
      rejected.push({ row, reason: `phone: ${parsed.data.phone || '(empty)'} is not an E.164 number, e.g. +14155550100` });
      continue;
    }
    const timezone = parsed.data.timezone?.trim() || null;
    if (timezone && !isTimeZone(timezone)) {
      rejected.push({ row, reason: `timezone: ${timezone} is not an IANA time zone` });
      continue;
    }
    if (seen.has(phone)) {
      rejected.push({ row, reason: `phone: ${phone} is already in this campaign${firstRow.has(phone) ? ` (row ${firstRow.get(phone)})` : ''}` });
      continue;
    }
    seen.add(phone);
    firstRow.set(phone, row);
    valid.push({ rowNumber: row, phoneNumber: phone, timezone, variables: parsed.data.variables ?? {} });
  }
  return { valid, rejected };
}

/** Spaces, dashes, dots and parentheses are how people write numbers; E.164 has none. */
function normalisePhone(phone: string): string {
  return phone.trim().replace(/[\s().-]/g, '');
}

export interface CampaignWorkflowInput {
  campaignId: string;
  organizationId: string;
  agentId: string;
  agentVersionId: string;
  agent: AgentConfig;
  from: string;
  maxConcurrentCalls: number;
  callsPerSecond: number;
  window: CallingWindow;
  defaultTimezone: string;
  retry: CampaignRetry;
  /** Not before this instant (ms). */
  scheduledAt?: number;
  /** `<streamUrlBase><callId>`: where the callee's audio goes (the gateway's Twilio socket). */
  streamUrlBase: string;
  /** `<statusCallbackBase><callId>`: where Twilio reports the call's progress. */
  statusCallbackBase: string;
  /** Contacts started per run before continueAsNew (default 500). */
  attemptsPerRun?: number;
  carried?: CampaignCarried;
}

export interface CampaignCounts {
  dialed: number;
  completed: number;
  failed: number;
  no_answer: number;
  busy: number;
  voicemail: number;
  retries: number;
  deferred: number;
}

export interface CampaignCarried {
  afterRow: number;
  freshExhausted: boolean;
  counts: CampaignCounts;
  /** Dial instants of the last second, for the calls-per-second limit. */
  recentDials: number[];
  paused: boolean;
  runs: number;
}

export interface CampaignProgress {
  status: 'scheduled' | 'running' | 'paused' | 'canceling' | 'completed' | 'canceled';
  counts: CampaignCounts;
  inFlight: number;
  runs: number;
  historyLength: number;
}
