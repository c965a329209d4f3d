import { condition } from '@temporalio/workflow';
import { AGENT_DTMF_KEYS } from '../../domain/dtmf-keys.js';
import type { ToolCallRequest, ToolDefinition, ToolOutcome } from '../../domain/tools.js';
import { innermostMessage } from '../failure-message.js';
import { gatewayActivities, telephony, toolActivities } from './activity-proxies.js';
import type { CallState } from './call-state.js';
import { say } from './speech.js';

const DEFAULT_TOOL_FILLER = { afterMs: 1_000, phrases: ['One moment, please.'] };

export function recordTool(call: CallState, turnId: string, toolCall: ToolCallRequest, outcome: ToolOutcome, idempotencyKey?: string): void {
  call.transcript.push({
    turnIndex: call.nextTurnIndex++,
    turnId,
    role: 'tool',
    text: outcome.ok ? (typeof outcome.result === 'string' ? outcome.result : JSON.stringify(outcome.result ?? null)) : `error: ${outcome.error}`,
    tool: { callId: toolCall.id, name: toolCall.name, arguments: toolCall.arguments, ok: outcome.ok, ...(idempotencyKey ? { idempotencyKey } : {}), ...(outcome.ok && outcome.attempts ? { attempts: outcome.attempts } : {}) },
  });
}

/**
 * One tool call as an activity, keyed `<workflowId>/<turn>/<index>` for every retry. A
 * slow tool gets a filler line; a failure after its retries comes back as an outcome.
 */
export async function runTool(call: CallState, turnId: string, tool: Exclude<ToolDefinition, { type: 'builtin' }>, mcpName: string | undefined, args: Record<string, unknown>, idempotencyKey: string): Promise<ToolOutcome> {
  const activities = toolActivities(tool);
  const request = { organizationId: call.input.organizationId, arguments: args, vars: call.graphState?.vars ?? {}, idempotencyKey };
  let running: Promise<{ result: unknown; attempt: number }>;
  switch (tool.type) {
    case 'http':
      running = activities.callHttpTool({ ...request, tool });
      break;
    case 'mcp':
      running = activities.callMcpTool({ ...request, tool, name: mcpName ?? '' });
      break;
    case 'nango':
      running = activities.callNangoAction({ ...request, tool });
      break;
  }
  // `done` is set by a callback chained after `outcome`'s own: the filler's timer and the
  // result are seen in the order the history has them only if that chaining stays as it is.
  let done = false;
  const outcome = running.then(
    ({ result, attempt }): ToolOutcome => ({ ok: true, result, attempts: attempt }),
    (error: unknown): ToolOutcome => ({ ok: false, error: innermostMessage(error) }),
  );
  void outcome.then(() => (done = true));
  const filler = tool.filler ?? call.agent.filler ?? DEFAULT_TOOL_FILLER;
  if (call.gateway && !(await condition(() => done, filler.afterMs))) {
    await say(call, `${turnId}-filler-${idempotencyKey}`, filler.phrases[call.nextTurnIndex % filler.phrases.length]!);
  }
  return outcome;
}

/** Built-in tools change the call itself. */
export async function runBuiltin(call: CallState, tool: Extract<ToolDefinition, { type: 'builtin' }>, args: Record<string, unknown>, spoke = false): Promise<ToolOutcome> {
  const { callId } = call;
  if (tool.builtin === 'end_call') {
    // What the model said with it was its farewell: no generic goodbye after it.
    call.farewellSaid ||= spoke;
    call.end('hangup-agent');
    return { ok: true, result: 'the call will end after the goodbye' };
  }
  if (tool.builtin === 'send_dtmf') {
    const digits = typeof args.digits === 'string' ? args.digits : '';
    if (!AGENT_DTMF_KEYS.test(digits)) return { ok: false, error: 'digits must be 1-32 of 0-9, *, #, A-D, w' };
    if (!call.gateway) return { ok: false, error: 'no media' };
    const { sendDtmf } = gatewayActivities(call.gateway.gatewayTaskQueue, '5 seconds');
    try {
      const { sent } = await sendDtmf({ callId, turnId: `${callId}-dtmf-${call.nextTurnIndex}`, digits });
      return sent ? { ok: true, result: `pressed ${digits}` } : { ok: false, error: 'the keys could not be sent' };
    } catch (error) {
      return { ok: false, error: innermostMessage(error) };
    }
  }
  if (!tool.transferTo) return { ok: false, error: 'no transferTo number configured' };
  return transfer(call, tool.transferTo, tool.transferMode, typeof args.summary === 'string' ? args.summary : undefined);
}

export async function transfer(call: CallState, to: string, mode: 'warm' | 'cold', summary?: string): Promise<ToolOutcome> {
  try {
    const result = await telephony.transferCall({ callId: call.callId, to, mode, summary });
    call.end('transferred');
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error: innermostMessage(error) };
  }
}

/** A tool call's arguments as the model wrote them: a JSON object, or undefined. */
export function parseArguments(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(text || '{}') as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
