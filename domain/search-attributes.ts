import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType } from '@temporalio/common';

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

/** What a call's workflow is found by from its start: the call, its organization and agent, and `live` until it ends. */
export function liveCallSearchAttributes(call: { callId: string; organizationId: string; agentId?: string }): SearchAttributePair[] {
  return [
    { key: CallIdAttribute, value: call.callId },
    { key: OrgIdAttribute, value: call.organizationId },
    ...(call.agentId ? [{ key: AgentIdAttribute, value: call.agentId }] : []),
    { key: CallStatusAttribute, value: 'live' },
  ];
}
