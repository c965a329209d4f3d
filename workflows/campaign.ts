import {
  condition,
  continueAsNew,
  executeChild,
  ParentClosePolicy,
  proxyLocalActivities,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { AttemptOutcome, CampaignActivities, CampaignContactRow, ContactOutcome } from '../activities/campaign-activities.js';
import { nextCallableAt } from '../domain/calling-window.js';
import { cancelCampaignSignal, campaignProgressQuery, pauseCampaignSignal, resumeCampaignSignal } from '../domain/campaign-messages.js';
import type { CampaignCounts, CampaignProgress, CampaignWorkflowInput, RetryableOutcome } from '../domain/campaigns.js';
import type { CallEndReason, ConversationState } from '../domain/conversation.js';
import { campaignAttemptWorkflowId } from '../domain/workflow-ids.js';
import { conversation } from './conversation/conversation.js';
import { workflowNow } from './workflow-clock.js';

const ATTEMPTS_PER_RUN = 1000;
const LOAD_BATCH = 200;
/** A dial must start at least this long before the calling window closes. */
const WINDOW_MARGIN_MS = 60_000;

/**
 * The campaign's database reads and writes, as local activities: short, idempotent, and
 * run by the worker inside the campaign's workflow task, they cost the server no activity
 * task each (a batch of dials would otherwise wait on one).
 */
const db = proxyLocalActivities<CampaignActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 100 },
});

const emptyCounts = (): CampaignCounts => ({ dialed: 0, completed: 0, failed: 0, no_answer: 0, busy: 0, voicemail: 0, retries: 0, deferred: 0 });

/**
 * A calling campaign: dials its contacts at most `callsPerSecond` and `maxConcurrentCalls`
 * at a time, only inside each contact's calling window, and retries per outcome. Each
 * attempt is a child conversation with the id `campaign-<id>-contact-<row>-attempt-<k>`,
 * so a replay, a worker crash or a server restart never dials anyone twice. Contacts that
 * wait (for a retry or their window) wait in the database; the workflow carries a cursor
 * and counters across continueAsNew.
 */
export async function campaign(input: CampaignWorkflowInput): Promise<CampaignProgress> {
  const carried = input.carried;
  const counts = carried?.counts ?? emptyCounts();
  let afterRow = carried?.afterRow ?? 0;
  let freshExhausted = carried?.freshExhausted ?? false;
  const recentDials = carried?.recentDials ?? [];
  let paused = carried?.paused ?? false;
  let canceled = false;
  let inFlight = 0;
  /** Bumped whenever something the dispatcher waits on changes. */
  let changes = 0;
  let attemptsThisRun = 0;
  const runs = (carried?.runs ?? 0) + 1;
  let status: CampaignProgress['status'] = input.scheduledAt && !carried ? 'scheduled' : paused ? 'paused' : 'running';

  const progress = (): CampaignProgress => ({ status, counts, inFlight, runs, historyLength: workflowInfo().historyLength });
  setHandler(campaignProgressQuery, progress);
  setHandler(pauseCampaignSignal, () => {
    paused = true;
    changes++;
  });
  setHandler(resumeCampaignSignal, () => {
    paused = false;
    changes++;
  });
  setHandler(cancelCampaignSignal, () => {
    canceled = true;
    changes++;
  });

  if (!carried && input.scheduledAt && input.scheduledAt > workflowNow()) {
    await condition(() => canceled, input.scheduledAt - workflowNow());
  }
  // Past its scheduled start (if any): the query must say so, not 'scheduled'.
  if (!canceled) status = paused ? 'paused' : 'running';
  if (!carried && !canceled) await db.setCampaignStatus({ campaignId: input.campaignId, status });

  const rate = { windowMs: input.callsPerSecond >= 1 ? 1_000 : 1_000 / input.callsPerSecond, limit: Math.max(1, Math.floor(input.callsPerSecond)) };
  const queue: { contact: CampaignContactRow; attempt: number }[] = [];

  /** Waits until a dial may start under the calls-per-second limit (a sliding window). */
  const awaitDialSlot = async () => {
    for (;;) {
      const now = workflowNow();
      while (recentDials.length > 0 && recentDials[0]! <= now - rate.windowMs) recentDials.shift();
      if (recentDials.length < rate.limit) return;
      await sleep(recentDials[0]! + rate.windowMs - now);
    }
  };

  const outcomeOf = (reason: CallEndReason | undefined): ContactOutcome => {
    switch (reason) {
      case 'no-answer':
        return 'no_answer';
      case 'busy':
        return 'busy';
      case 'voicemail':
        return 'voicemail';
      case 'error':
      case 'no-media':
      case 'media-lost':
      case undefined:
        return 'failed';
      default:
        return 'completed';
    }
  };

  const dial = (contact: CampaignContactRow, attempt: number) => {
    const callId = uuid4();
    inFlight++;
    counts.dialed++;
    recentDials.push(workflowNow());
    void executeChild(conversation, {
      workflowId: campaignAttemptWorkflowId(input.campaignId, contact.rowNumber, attempt),
      // Calls in progress finish on their own if the campaign is canceled or ends.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          callId,
          organizationId: input.organizationId,
          direction: 'outbound',
          agent: input.agent,
          agentId: input.agentId,
          agentVersionId: input.agentVersionId,
          from: input.from,
          to: contact.phoneNumber,
          variables: contact.variables,
          campaign: { campaignId: input.campaignId, rowNumber: contact.rowNumber, attempt },
          dial: {
            to: contact.phoneNumber,
            from: input.from,
            streamUrl: `${input.streamUrlBase}${callId}`,
            statusCallbackUrl: `${input.statusCallbackBase}${callId}`,
            detectVoicemail: true,
          },
        },
      ],
    })
      .then(
        (state: ConversationState) => outcomeOf(state.endReason),
        () => 'failed' as const,
      )
      .then((outcome) => {
        const policy = outcome === 'completed' ? undefined : input.retry[outcome as RetryableOutcome];
        const retryAt = policy && attempt < policy.maximumAttempts ? workflowNow() + policy.backoffMs * policy.backoffCoefficient ** (attempt - 1) : undefined;
        unrecorded.push({ rowNumber: contact.rowNumber, attempt, outcome, callId, ...(retryAt === undefined ? {} : { retryAt }) });
      });
  };

  /**
   * Outcomes are written in batches by one recorder, not an activity per call. An attempt
   * counts as in flight until its outcome is stored (a retry it schedules is then visible).
   */
  const unrecorded: AttemptOutcome[] = [];
  const recordOutcomes = async () => {
    for (;;) {
      await condition(() => unrecorded.length > 0);
      const batch = unrecorded.splice(0, 200);
      await db.recordContactOutcomes({ campaignId: input.campaignId, outcomes: batch });
      for (const entry of batch) {
        if (entry.retryAt === undefined) counts[entry.outcome]++;
        else counts.retries++;
      }
      inFlight -= batch.length;
      changes++;
    }
  };
  void recordOutcomes();

  /** Fills the queue: contacts whose retry or window has come, then fresh ones in row order. */
  const refill = async () => {
    const due = await db.loadDueContacts({ campaignId: input.campaignId, now: workflowNow(), limit: LOAD_BATCH });
    for (const contact of due) queue.push({ contact, attempt: contact.attempts + 1 });
    if (queue.length === 0 && !freshExhausted) {
      const fresh = await db.loadFreshContacts({ campaignId: input.campaignId, afterRow, limit: LOAD_BATCH });
      if (fresh.length < LOAD_BATCH) freshExhausted = true;
      for (const contact of fresh) queue.push({ contact, attempt: 1 });
      if (fresh.length > 0) afterRow = fresh.at(-1)!.rowNumber;
    }
  };

  while (!canceled) {
    if (paused) {
      status = 'paused';
      await db.setCampaignStatus({ campaignId: input.campaignId, status: 'paused' });
      await condition(() => !paused || canceled);
      if (canceled) break;
      status = 'running';
      await db.setCampaignStatus({ campaignId: input.campaignId, status: 'running' });
      continue;
    }
    if (queue.length === 0) await refill();
    if (queue.length === 0) {
      const nextDue = await db.nextDueAt({ campaignId: input.campaignId });
      if (freshExhausted && nextDue === null && inFlight === 0) break;
      // Wait for a contact to come due, a call to end (it may schedule a retry), or a signal.
      const seen = changes;
      const waitMs = nextDue === null ? undefined : Math.max(0, nextDue - workflowNow());
      if (waitMs === undefined) await condition(() => changes !== seen);
      else await condition(() => changes !== seen, waitMs);
      continue;
    }

    // Outside their window, contacts wait in the database for it to open.
    const now = workflowNow();
    const deferred: { rowNumber: number; notBefore: number }[] = [];
    for (let i = queue.length - 1; i >= 0; i--) {
      const { contact } = queue[i]!;
      const notBefore = nextCallableAt(now, contact.timezone ?? input.defaultTimezone, input.window, WINDOW_MARGIN_MS);
      if (notBefore > now) {
        deferred.push({ rowNumber: contact.rowNumber, notBefore });
        queue.splice(i, 1);
      }
    }
    if (deferred.length > 0) {
      await db.deferContacts({ campaignId: input.campaignId, contacts: deferred });
      counts.deferred += deferred.length;
      continue;
    }

    const perRun = input.attemptsPerRun ?? ATTEMPTS_PER_RUN;
    while (queue.length > 0 && !paused && !canceled && attemptsThisRun < perRun) {
      if (inFlight >= input.maxConcurrentCalls) {
        await condition(() => inFlight < input.maxConcurrentCalls || paused || canceled);
        continue;
      }
      await awaitDialSlot();
      if (paused || canceled) break;
      // As many as the rate, the concurrency and this run allow, dialed together.
      const now = workflowNow();
      const slots = Math.min(rate.limit - recentDials.length, input.maxConcurrentCalls - inFlight, perRun - attemptsThisRun);
      const batch: { contact: CampaignContactRow; attempt: number }[] = [];
      while (batch.length < slots && queue.length > 0) {
        // The window may have closed while waiting for capacity.
        const next = queue[0]!;
        if (nextCallableAt(now, next.contact.timezone ?? input.defaultTimezone, input.window, WINDOW_MARGIN_MS) > now) break;
        batch.push(queue.shift()!);
      }
      if (batch.length === 0) break;
      // Recorded before the dial: a contact is never dialed without its attempt counted.
      await db.recordContactAttempts({ campaignId: input.campaignId, attempts: batch.map(({ contact, attempt }) => ({ rowNumber: contact.rowNumber, attempt })) });
      for (const { contact, attempt } of batch) dial(contact, attempt);
      attemptsThisRun += batch.length;
    }

    if (attemptsThisRun >= perRun && !canceled) {
      // Children of this run must finish here: the next run cannot wait on them.
      await condition(() => inFlight === 0);
      // Contacts loaded but not dialed are still pending in the database: the cursor goes back for them.
      if (queue.length > 0) {
        const firstFresh = queue.find((entry) => entry.attempt === 1 && entry.contact.attempts === 0);
        if (firstFresh) afterRow = Math.min(afterRow, firstFresh.contact.rowNumber - 1);
        freshExhausted = freshExhausted && !firstFresh;
      }
      await continueAsNew<typeof campaign>({ ...input, carried: { afterRow, freshExhausted, counts, recentDials, paused, runs } });
    }
  }

  status = canceled ? 'canceling' : status;
  await condition(() => inFlight === 0);
  status = canceled ? 'canceled' : 'completed';
  await db.setCampaignStatus({ campaignId: input.campaignId, status });
  return progress();
}

