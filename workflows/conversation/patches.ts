/**
 * The patch ids the conversation records (`patched(id)`): committed histories and calls in
 * flight carry these markers, so the strings never change. Where each one is first asked
 * decides where its marker lands in the history: keep the calls where they are.
 */

/** The opening (MCP tool lists, greeting, a graph's first lookup) comes before any caller turn. */
export const OPENING_BEFORE_TURNS = 'opening-before-turns';
/** The call row's writes and the dial run as local activities (see activity-proxies.ts). */
export const LOCAL_CALL_ACTIVITIES = 'local-call-activities';
/** A dialled call that never got media asks the carrier how it ended. */
export const ASK_CARRIER_WITHOUT_MEDIA = 'ask-carrier-without-media';
/** An ended call starts its post-call analysis as an abandoned child workflow. */
export const POST_CALL_ANALYSIS = 'post-call-analysis';
