import type { VadSettings } from '../../domain/agent-config.js';
import type { InterruptionSettings } from '../../domain/interruption-settings.js';
import type { Logger } from '../../platform/logger.js';
import type { FallbackStt } from '../../providers/stt/fallback-stt.js';
import type { Denoiser } from '../../providers/denoise/denoiser.js';
import type { Vad } from '../../providers/vad/vad.js';
import type { InboundCodec } from '../audio/codec.js';
import { BargeInStage, type ReplyControl } from './stages/barge-in-stage.js';
import { DecodeStage } from './stages/decode-stage.js';
import { DenoiseStage } from './stages/denoise-stage.js';
import { EndOfTurnStage } from './stages/end-of-turn-stage.js';
import { HandoverStage } from './stages/handover-stage.js';
import type { InboundFrame, InboundStage } from './stages/inbound-stage.js';
import { ResampleStage } from './stages/resample-stage.js';
import { SttStage } from './stages/stt-stage.js';
import { VadStage } from './stages/vad-stage.js';
import type { CallerTurn } from './turn-detector.js';

/** What the stages of one call are built from. */
export interface InboundParts {
  /** How the transport's bytes decode; absent when audio arrives as 16 kHz PCM. */
  codec?: InboundCodec;
  vad: Vad;
  vadSettings: VadSettings;
  stt: FallbackStt;
  log: Logger;
  /** Noise suppression before VAD, when the agent asks for it. */
  denoise?: { load(): Promise<Denoiser>; onCost?(seconds: number): void };
  interruptions: InterruptionSettings;
  /** The agent's reply: paused, resumed or cancelled by the caller's speech over it. */
  reply: ReplyControl;
  /** Where finished turns go. */
  onTurn(turn: CallerTurn): void;
}

/**
 * The caller's side of an audio call, in order. This list is the one place a stage is
 * added or removed: each stage passes on every frame, so a new one (noise suppression
 * between resample and VAD, an end-of-turn model after end of turn) sees the audio and
 * what the stages before it made. A turn's timings come from the stages: VAD
 * (`speechEndedAt`), STT (`sttFinalAt`), and the handover (`updateSentAt`).
 */
export function inboundStages(parts: InboundParts): InboundStage[] {
  return [
    new DecodeStage(parts.codec),
    new ResampleStage(parts.codec?.sampleRate),
    ...(parts.denoise ? [new DenoiseStage(parts.denoise.load, parts.denoise.onCost)] : []),
    new VadStage(parts.vad, parts.log),
    new SttStage(parts.stt, parts.log),
    new EndOfTurnStage(parts.vadSettings),
    new BargeInStage(parts.reply, parts.interruptions, parts.vadSettings.activation),
    new HandoverStage(parts.onTurn),
  ];
}

/** Runs frames through the stages in order; what leaves the last one is dropped. */
export class InboundPipeline {
  constructor(private readonly stages: InboundStage[]) {
    stages.forEach((stage, i) => {
      const next = stages[i + 1];
      if (next) stage.link((frame) => next.process(frame));
    });
  }

  push(frame: InboundFrame): void {
    this.stages[0]?.process(frame);
  }

  async start(): Promise<void> {
    for (const stage of this.stages) await stage.start();
  }

  close(): void {
    for (const stage of this.stages) stage.close();
  }

  /** The stage of this kind, for the session to steer (switching the STT chain). */
  stage<T extends InboundStage>(kind: abstract new (...args: never[]) => T): T {
    const found = this.stages.find((stage): stage is T => stage instanceof kind);
    if (!found) throw new Error(`the pipeline has no ${kind.name}`);
    return found;
  }
}
