// The worker bundles this file: every workflow the platform runs is exported here.
export { systemCheck } from './system-check.js';
export { conversation } from './conversation/conversation.js';
export { campaign } from './campaign.js';
export { postCallAnalysis } from './post-call-analysis.js';
export { webhookDelivery } from './webhook-delivery.js';
export { callRerun } from './call-rerun.js';
