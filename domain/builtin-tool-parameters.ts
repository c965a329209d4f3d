// Zod-free on purpose: the conversation workflow offers these to the LLM, and the worker
// evaluates every module a workflow imports once per workflow.
import { AGENT_DTMF_KEYS } from './dtmf-keys.js';
import type { BuiltinToolDefinition, JsonSchemaObject } from './tools.js';

/** What the LLM may pass to each built-in tool. */
export const builtinParameters: Record<BuiltinToolDefinition['builtin'], JsonSchemaObject> = {
  end_call: { type: 'object', properties: { reason: { type: 'string', description: 'why the call ends' } } },
  transfer_call: { type: 'object', properties: { summary: { type: 'string', description: 'what the person taking the call should know' } } },
  send_dtmf: { type: 'object', properties: { digits: { type: 'string', pattern: AGENT_DTMF_KEYS.source, description: 'keypad keys to press, e.g. "1" or "1234#"; w waits half a second' } }, required: ['digits'] },
};
