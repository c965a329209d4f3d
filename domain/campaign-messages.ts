import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CampaignProgress } from './campaigns.js';

/** The campaign workflow's messages, shared by the workflow and the api. */
export const pauseCampaignSignal = defineSignal('pause');
export const resumeCampaignSignal = defineSignal('resume');
/** No new dials; calls in progress finish; then the campaign ends with its final counts. */
export const cancelCampaignSignal = defineSignal('cancel');
export const campaignProgressQuery = defineQuery<CampaignProgress>('progress');
