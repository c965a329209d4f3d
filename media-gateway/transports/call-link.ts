import type { Client, WorkflowHandle } from '@temporalio/client';
import type { SttProviderConfig, TtsProviderConfig } from '../../domain/agent-config.js';
import { interruptionSettingsSchema, noiseSuppressionSchema } from '../../domain/interruption-settings.js';
import { hangupSignal, mediaAttachedSignal, mediaSettingsQuery } from '../../domain/conversation-messages.js';
import { conversationWorkflowId } from '../../domain/workflow-ids.js';
import type { Logger } from '../../platform/logger.js';
import type { PlatformMetrics } from '../../platform/metrics.js';
import type { Denoiser } from '../../providers/denoise/denoiser.js';
import { sharedRnnoise } from '../../providers/denoise/rnnoise-denoiser.js';
import type { Stt } from '../../providers/stt/stt.js';
import type { Tts } from '../../providers/tts/tts.js';
import type { Vad } from '../../providers/vad/vad.js';
import type { InboundCodec } from '../audio/codec.js';
import type { OutboundPacer } from '../audio/outbound-pacer.js';
import { AudioCallSession } from '../session/audio-call-session.js';
import type { AudioSink } from '../session/audio-sink.js';
import type { CallSession, SessionRegistry } from '../session/call-session.js';
import type { PhraseCache } from '../session/phrase-cache.js';
import { createTurnHandover, type HandOverTurn } from '../session/turn-handover.js';

/** What every audio transport of a gateway shares. */
export interface AudioDeps {
  pacer: OutboundPacer;
  vad: Vad;
  phrases: PhraseCache;
  createStt(config: SttProviderConfig): Stt;
  createTts(config: TtsProviderConfig): Tts;
  /** The gateway's noise suppressor, loaded by the first call whose agent turns it on; RNNoise unless given. */
  denoiser?(): Promise<Denoiser>;
  metrics?: PlatformMetrics;
}

export interface CallLinkDeps {
  temporal: Client;
  sessions: SessionRegistry;
  gatewayTaskQueue: string;
  log: Logger;
  metrics?: PlatformMetrics;
}

/**
 * A media socket's call, whatever the transport: its workflow, its log, and the
 * handover of its turns (spoken and typed, in order). Both transports open and attach
 * their session through it, so how turns reach the workflow is written once here.
 */
export class CallLink {
  readonly handle: WorkflowHandle;
  readonly log: Logger;
  /** Every turn of the call goes to the workflow through this, one at a time. */
  readonly handOver: HandOverTurn;
  private session?: CallSession;

  constructor(
    private readonly deps: CallLinkDeps,
    readonly callId: string,
    transport: 'twilio' | 'web',
  ) {
    this.handle = deps.temporal.workflow.getHandle(conversationWorkflowId(callId));
    this.log = deps.log.child({ callId, workflowId: this.handle.workflowId, transport });
    this.handOver = createTurnHandover(this.handle, callId, this.log, () => this.session?.closed ?? true, deps.metrics);
  }

  /**
   * The call's audio session: VAD thresholds and STT/TTS chains come from its workflow,
   * and each turn it hears goes through the handover, in order with any typed ones.
   */
  async openAudio(sink: AudioSink, codec: InboundCodec, audio: AudioDeps): Promise<AudioCallSession> {
    const settings = await this.handle.query(mediaSettingsQuery);
    // Calls started before these settings existed have none: the defaults then.
    const noiseSuppression = noiseSuppressionSchema.parse(settings.noiseSuppression ?? {});
    const session = new AudioCallSession({
      callId: this.callId,
      sink,
      codec,
      pacer: audio.pacer,
      vad: audio.vad,
      vadSettings: settings.vad,
      interruptions: interruptionSettingsSchema.parse(settings.interruptions ?? {}),
      ...(noiseSuppression.enabled ? { denoiser: () => (audio.denoiser ?? sharedRnnoise)() } : {}),
      onDenoiseCost: (seconds) => audio.metrics?.denoiseFrameSeconds.observe(seconds),
      onInterruption: (decision) => audio.metrics?.interruptionDecisions.inc({ kind: decision.kind }),
      stt: settings.stt.map((config) => audio.createStt(config)),
      tts: settings.tts.map((config) => audio.createTts(config)),
      createStt: (config) => audio.createStt(config),
      createTts: (config) => audio.createTts(config),
      providerConfigs: { stt: settings.stt, tts: settings.tts },
      phrases: audio.phrases,
      log: this.log,
      onProviderError: (capability, provider) => audio.metrics?.providerErrors.inc({ capability, provider }),
      onTurn: (turn) => void this.handOver(turn.text, { speechEndedAt: turn.speechEndedAt, sttFinalAt: turn.sttFinalAt }).catch(() => undefined),
    });
    this.session = session;
    await session.start();
    return session;
  }

  /** Puts the session on this gateway and tells the workflow its media is here; a caller's hang-up is signalled. */
  async attach(session: CallSession, streamId?: string): Promise<void> {
    this.session = session;
    this.deps.sessions.add(session);
    void session.ended.then(async (reason) => {
      if (reason === 'hangup-caller') await this.handle.signal(hangupSignal, { reason }).catch(() => undefined);
    });
    await this.handle.signal(mediaAttachedSignal, { gatewayTaskQueue: this.deps.gatewayTaskQueue, ...(streamId ? { streamId } : {}), mode: session.mode });
  }
}
