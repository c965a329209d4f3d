import type { WorkflowHandle } from '@temporalio/client';
import type { SttProviderConfig, TtsProviderConfig } from '../../domain/agent-config.js';
import { mediaSettingsQuery } from '../../domain/conversation-messages.js';
import type { Logger } from '../../platform/logger.js';
import type { PlatformMetrics } from '../../platform/metrics.js';
import type { Stt } from '../../providers/stt/stt.js';
import type { Tts } from '../../providers/tts/tts.js';
import type { Vad } from '../../providers/vad/vad.js';
import type { OutboundPacer } from '../audio/outbound-pacer.js';
import { AudioCallSession, type AudioSink } from '../session/audio-call-session.js';
import type { PhraseCache } from '../session/phrase-cache.js';
import type { HandOverTurn } from '../session/turn-handover.js';

/** What every audio transport of a gateway shares. */
export interface AudioDeps {
  pacer: OutboundPacer;
  vad: Vad;
  phrases: PhraseCache;
  createStt(config: SttProviderConfig): Stt;
  createTts(config: TtsProviderConfig): Tts;
  metrics?: PlatformMetrics;
}

/**
 * The audio session of a call, whatever carries its audio (Twilio, a browser): the
 * call's VAD thresholds and STT/TTS chains come from its workflow, and each turn the
 * session hears goes through the transport's handover, in order with any typed ones.
 */
export async function openAudioSession(options: {
  callId: string;
  handle: WorkflowHandle;
  sink: AudioSink;
  audio: AudioDeps;
  handOver: HandOverTurn;
  log: Logger;
}): Promise<AudioCallSession> {
  const { callId, handle, sink, audio, handOver, log } = options;
  const settings = await handle.query(mediaSettingsQuery);
  const session = new AudioCallSession({
    callId,
    sink,
    pacer: audio.pacer,
    vad: audio.vad,
    vadSettings: settings.vad,
    stt: settings.stt.map((config) => audio.createStt(config)),
    tts: settings.tts.map((config) => audio.createTts(config)),
    createStt: (config) => audio.createStt(config),
    createTts: (config) => audio.createTts(config),
    providerConfigs: { stt: settings.stt, tts: settings.tts },
    phrases: audio.phrases,
    log,
    onProviderError: (capability, provider) => audio.metrics?.providerErrors.inc({ capability, provider }),
    onTurn: (turn) => void handOver(turn.text, { speechEndedAt: turn.speechEndedAt, sttFinalAt: turn.sttFinalAt }).catch(() => undefined),
  });
  await session.start();
  return session;
}
