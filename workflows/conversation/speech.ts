import { ActivityFailure, TimeoutFailure } from '@temporalio/workflow';
import type { RespondInput, RespondResult } from '../../domain/gateway-contract.js';
import { nodeById } from '../graph-stepper.js';
import { gatewayActivities } from './activity-proxies.js';
import type { CallState } from './call-state.js';

export type SpeakRequest = Omit<RespondInput, 'callId' | 'turnId' | 'llm' | 'exceptionPrompt'> & { llm?: RespondInput['llm'] };

/** A graph node may speak with its own voice and listen with its own recogniser. */
function nodeProviders(call: CallState): Pick<RespondInput, 'providers'> {
  const { agent, graph, graphState } = call;
  if (!graph || !graphState) return {};
  const node = nodeById(graph, graphState.nodeId);
  return { providers: { stt: (node.type === 'conversation' && node.stt) || agent.stt, tts: (node.type === 'conversation' && node.tts) || agent.tts } };
}

/** One `respond` on the gateway's queue; undefined when the gateway is gone. */
export async function speak(call: CallState, turnId: string, request: SpeakRequest): Promise<RespondResult | undefined> {
  const { respond } = gatewayActivities(call.gateway!.gatewayTaskQueue, '5 seconds');
  try {
    const result = await respond({ callId: call.callId, turnId, exceptionPrompt: call.agent.exceptionPrompt, ...request, llm: request.llm ?? call.agent.llm, ...nodeProviders(call) });
    if (result.mediaGone) call.end('media-lost');
    return result;
  } catch (error) {
    if (isMediaLoss(error)) {
      call.end('media-lost');
      return undefined;
    }
    throw error;
  }
}

export function record(call: CallState, turnId: string, result: RespondResult, turnIndex: number): void {
  call.transcript.push({
    turnIndex,
    turnId,
    role: 'agent',
    text: result.text,
    ...(result.interrupted ? { heardText: result.heardText, interrupted: true } : {}),
    timings: result.timings,
    providers: result.providers,
    ...(result.toolCalls?.length ? { toolCalls: result.toolCalls } : {}),
  });
}

/** Says a fixed text (a node's line, a filler, an apology) and keeps it in the transcript. */
export async function say(call: CallState, turnId: string, text: string): Promise<void> {
  if (!call.gateway || call.endReason === 'media-lost') return;
  const result = await speak(call, turnId, { kind: 'say', text });
  if (result) record(call, turnId, result, call.nextTurnIndex++);
}

/** The gateway is gone: its activity timed out on heartbeat or was never picked up. */
function isMediaLoss(error: unknown): boolean {
  return error instanceof ActivityFailure && error.cause instanceof TimeoutFailure;
}
