import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TurnTimings } from '../domain/conversation.js';

/** Turn stages, from the caller's last word to the first audio of the reply, in seconds. */
const TURN_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];

/**
 * The platform's own Prometheus metrics, one registry per process: every role in the
 * process serves it on `/metrics` (with the Temporal SDK's metrics, where it runs a worker).
 */
export class PlatformMetrics {
  readonly registry = new Registry();
  readonly activeCalls: Gauge<'mode'>;
  readonly turnStageLatency = new Histogram({
    name: 'voice_turn_stage_latency_seconds',
    help: 'Time taken by each stage of a turn: stt_final (end of speech to final transcript), update (handed to the workflow to reply started), llm_first_token, tts_first_byte (first token to first synthesized audio), first_audio (first synthesized audio to first frame sent), voice_to_voice (end of speech to first frame sent)',
    labelNames: ['stage'] as const,
    buckets: TURN_BUCKETS,
    registers: [this.registry],
  });
  readonly providerErrors = new Counter({
    name: 'voice_provider_errors_total',
    help: 'Calls to a vendor (LLM, STT, TTS) that failed; the next provider of the chain takes over',
    labelNames: ['capability', 'provider'] as const,
    registers: [this.registry],
  });
  readonly interruptionDecisions = new Counter({
    name: 'voice_interruption_decisions_total',
    help: "How the caller's speech over a reply was judged: paused (sound stopped the audio), resumed-backchannel, resumed-false (no words), barge-in (words cancelled the reply)",
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly denoiseFrameSeconds = new Histogram({
    name: 'voice_denoise_frame_seconds',
    help: 'CPU time noise suppression (RNNoise, with its resampling) took per inbound audio frame (20 ms)',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01],
    registers: [this.registry],
  });
  readonly callsEnded = new Counter({
    name: 'voice_calls_ended_total',
    help: 'Calls ended, by reason',
    labelNames: ['reason', 'direction'] as const,
    registers: [this.registry],
  });
  readonly analysisDuration = new Histogram({
    name: 'voice_post_call_analysis_seconds',
    help: 'Time the analysis LLM calls of one call took, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly webhookAttempts = new Counter({
    name: 'voice_webhook_attempts_total',
    help: 'HTTP attempts to deliver webhooks, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly httpRequests = new Histogram({
    name: 'voice_http_request_duration_seconds',
    help: 'API requests, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  /** User-side timings of turns handed over, until their reply starts; bounded, as replies may never come. */
  private readonly pendingTurns = new Map<string, TurnTimings>();
  private activeCallsSource: () => Record<string, number> = () => ({});

  constructor(readonly role: string) {
    this.registry.setDefaultLabels({ role });
    collectDefaultMetrics({ register: this.registry, prefix: 'voice_process_' });
    const source = () => this.activeCallsSource();
    this.activeCalls = new Gauge({
      name: 'voice_active_calls',
      help: 'Calls whose media is live on this process, by mode (audio or text)',
      labelNames: ['mode'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [mode, count] of Object.entries(source())) this.set({ mode }, count);
      },
    });
  }

  countActiveCalls(source: () => Record<string, number>): void {
    this.activeCallsSource = source;
  }

  /** The gateway handed a user turn to its workflow. */
  turnHandedOver(turnId: string, timings: TurnTimings): void {
    if (timings.speechEndedAt !== undefined && timings.sttFinalAt !== undefined) this.observeStage('stt_final', timings.sttFinalAt - timings.speechEndedAt);
    this.pendingTurns.set(turnId, timings);
    if (this.pendingTurns.size > 1_000) this.pendingTurns.delete(this.pendingTurns.keys().next().value!);
  }

  /** The reply to a turn was spoken (or not: only the stages it reached count). */
  turnReplied(turnId: string, reply: TurnTimings): void {
    const turn = this.pendingTurns.get(turnId) ?? {};
    this.pendingTurns.delete(turnId);
    const { respondStartedAt, llmFirstTokenAt, ttsFirstByteAt, firstAudioSentAt } = reply;
    if (turn.updateSentAt !== undefined && respondStartedAt !== undefined) this.observeStage('update', respondStartedAt - turn.updateSentAt);
    if (respondStartedAt !== undefined && llmFirstTokenAt !== undefined) this.observeStage('llm_first_token', llmFirstTokenAt - respondStartedAt);
    if (llmFirstTokenAt !== undefined && ttsFirstByteAt !== undefined) this.observeStage('tts_first_byte', Math.max(0, ttsFirstByteAt - llmFirstTokenAt));
    if (ttsFirstByteAt !== undefined && firstAudioSentAt !== undefined) this.observeStage('first_audio', Math.max(0, firstAudioSentAt - ttsFirstByteAt));
    if (turn.speechEndedAt !== undefined && firstAudioSentAt !== undefined) this.observeStage('voice_to_voice', firstAudioSentAt - turn.speechEndedAt);
  }

  /** Provider failures as the respond activity reports them: `llm:openai/gpt-4o-mini: message`. */
  countProviderErrors(errors: string[]): void {
    for (const error of errors) {
      const [capability = 'unknown', provider = 'unknown'] = error.split(':', 3);
      this.providerErrors.inc({ capability, provider: provider.trim() });
    }
  }

  private observeStage(stage: string, ms: number): void {
    if (Number.isFinite(ms) && ms >= 0) this.turnStageLatency.observe({ stage }, ms / 1000);
  }

  /** The exposition: ours, then the Temporal SDK's (its own exporter, read over loopback). */
  async exposition(temporalMetricsUrl?: string): Promise<string> {
    const ours = await this.registry.metrics();
    if (!temporalMetricsUrl) return ours;
    try {
      const response = await fetch(temporalMetricsUrl, { signal: AbortSignal.timeout(2_000) });
      if (!response.ok) return ours;
      return `${ours.trimEnd()}\n${(await response.text()).trimEnd()}\n`;
    } catch {
      return ours;
    }
  }
}

let processMetrics: PlatformMetrics | undefined;

/** One registry per process, named for the first role that asked; roles sharing a process share it. */
export function platformMetrics(role: string): PlatformMetrics {
  processMetrics ??= new PlatformMetrics(role);
  return processMetrics;
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
