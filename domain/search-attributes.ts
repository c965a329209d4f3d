import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes the platform sets on its workflows, so operations can
 * list calls by call, agent, organization, campaign and status.
 */
export const CallIdAttribute = defineSearchAttributeKey('CallId', SearchAttributeType.KEYWORD);
export const AgentIdAttribute = defineSearchAttributeKey('AgentId', SearchAttributeType.KEYWORD);
export const OrgIdAttribute = defineSearchAttributeKey('OrgId', SearchAttributeType.KEYWORD);
export const CampaignIdAttribute = defineSearchAttributeKey('CampaignId', SearchAttributeType.KEYWORD);
export const CallStatusAttribute = defineSearchAttributeKey('CallStatus', SearchAttributeType.KEYWORD);

export const platformSearchAttributes = [
  CallIdAttribute,
  AgentIdAttribute,
  OrgIdAttribute,
  CampaignIdAttribute,
  CallStatusAttribute,
] as const;
