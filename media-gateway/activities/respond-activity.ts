import { Context } from '@temporalio/activity';
import type { LlmProviderConfig } from '../../domain/agent-config.js';
import type { CallEndReason } from '../../domain/conversation.js';
import type { GatewayCallActivities, RespondInput, RespondResult, SendDtmfInput, WatchMediaResult } from '../../domain/gateway-contract.js';
import type { PlatformMetrics } from '../../platform/metrics.js';
import { FallbackLlm } from '../../providers/llm/fallback-llm.js';
import type { Llm } from '../../providers/llm/llm.js';
import type { ReplyPlayback, SessionRegistry } from '../session/call-session.js';

export interface GatewayCallDeps {
  sessions: SessionRegistry;
  createLlm(config: LlmProviderConfig): Llm;
  heartbeatEveryMs?: number;
  metrics?: PlatformMetrics;
}

/**
 * Activities on the gateway's own task queue, next to the live socket of the call.
 * They are never retried: speech cannot be taken back, and a dead gateway means the
 * call's media is gone.
 */
export function createGatewayCallActivities(deps: GatewayCallDeps): GatewayCallActivities {
  const heartbeatEveryMs = deps.heartbeatEveryMs ?? 1_000;

  return {
    /** Streams the reply (LLM → sentences → TTS → caller) and returns what was said and heard. */
    async respond(input: RespondInput): Promise<RespondResult> {
      const context = Context.current();
      const respondStartedAt = Date.now();
      const session = deps.sessions.get(input.callId);
      const result: RespondResult = {
        text: '',
        heardText: '',
        interrupted: false,
        mediaGone: false,
        timings: { respondStartedAt },
        providers: [],
        errors: [],
      };
      if (!session || session.closed) return { ...result, mediaGone: true };

      const heartbeat = setInterval(() => context.heartbeat(), heartbeatEveryMs);
      // A provider that cannot be built leaves the chain as it was: the reply still goes out.
      if (input.providers) await session.useProviders?.(input.providers).catch(() => undefined);
      const playback = session.startReply(input.turnId);
      const stop = AbortSignal.any([playback.signal, context.cancellationSignal]);
      try {
        if (input.kind === 'say') {
          result.text = input.text ?? '';
          playback.write(result.text);
        } else {
          await generate(input, deps, playback, stop, result);
        }
        const outcome = await playback.end();
        result.heardText = outcome.heardText;
        result.interrupted = outcome.interrupted;
        result.timings.ttsFirstByteAt = outcome.ttsFirstByteAt;
        result.timings.firstAudioSentAt = outcome.firstOutputAt;
        result.timings.replyDoneAt = Date.now();
        if (outcome.interruptions) result.timings.interruptions = outcome.interruptions;
        result.mediaGone = session.closed && !outcome.interrupted;
        return result;
      } finally {
        clearInterval(heartbeat);
        deps.metrics?.countProviderErrors(result.errors);
        if (input.kind === 'reply') deps.metrics?.turnReplied(input.turnId, result.timings);
      }
    },

    /** The agent presses keys (built-in send_dtmf): tones on an audio call, a message on a text one. */
    async sendDtmf(input: SendDtmfInput): Promise<{ sent: boolean }> {
      const session = deps.sessions.get(input.callId);
      if (!session || session.closed) return { sent: false };
      const playback = session.startReply(input.turnId);
      if (!playback.tones) {
        await playback.end();
        return { sent: false };
      }
      playback.tones(input.digits);
      const outcome = await playback.end();
      return { sent: !outcome.interrupted };
    },

    /**
     * Runs as long as the call's media lives on this gateway, heartbeating; returns why
     * it ended. If this gateway dies, the missed heartbeat tells the workflow at once.
     */
    async watchMedia(input: { callId: string }): Promise<WatchMediaResult> {
      const context = Context.current();
      const session = deps.sessions.get(input.callId);
      if (!session || session.closed) return { reason: 'media-lost' };
      const heartbeat = setInterval(() => context.heartbeat(), heartbeatEveryMs);
      try {
        const reason = await Promise.race([
          session.ended,
          new Promise<never>((_, reject) => context.cancellationSignal.addEventListener('abort', () => reject(context.cancellationSignal.reason), { once: true })),
        ]);
        return { reason };
      } finally {
        clearInterval(heartbeat);
      }
    },

    /** Ends the call's media from the agent's side (after a goodbye, silence, max duration). */
    async endMedia(input: { callId: string; reason: CallEndReason }): Promise<void> {
      deps.sessions.get(input.callId)?.close(input.reason);
    },
  };
}

/**
 * The reply from the LLM fallback chain, written to the playback as it streams. The
 * turn records which model answered and why others failed (`llm:<label>`).
 */
async function generate(
  input: RespondInput,
  deps: GatewayCallDeps,
  playback: ReplyPlayback,
  stop: AbortSignal,
  result: RespondResult,
): Promise<void> {
  let fillerTimer: NodeJS.Timeout | undefined;
  if (input.filler && input.filler.phrases.length > 0) {
    const phrases = input.filler.phrases;
    fillerTimer = setTimeout(() => {
      if (!result.text) playback.filler(phrases[Math.floor(Math.random() * phrases.length)]!);
    }, input.filler.afterMs);
  }
  try {
    const llm = new FallbackLlm(
      input.llm.map((config) => deps.createLlm(config)),
      {
        onProviderUsed: (label) => result.providers.push(`llm:${label}`),
        onProviderError: (label, error) => result.errors.push(`llm:${label}: ${(error as Error).message}`),
      },
    );
    try {
      for await (const event of llm.stream({ messages: input.messages ?? [], tools: input.tools, signal: stop })) {
        if (event.type === 'tool_call') {
          (result.toolCalls ??= []).push({ id: event.id, name: event.name, arguments: event.arguments });
          continue;
        }
        if (event.type !== 'token' || !event.text) continue;
        result.timings.llmFirstTokenAt ??= Date.now();
        result.text += event.text;
        playback.write(event.text);
      }
      return;
    } catch {
      // Once the caller heard part of this reply, another model cannot continue it.
      if (result.text) return;
    }
    // Every model failed before a word: the caller still gets an answer.
    result.text = input.exceptionPrompt;
    playback.phrase(input.exceptionPrompt);
  } finally {
    clearTimeout(fillerTimer);
  }
}
