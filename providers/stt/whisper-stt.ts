import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { SharedSpeechSidecar, SpeechSidecar } from './speech-sidecar.js';
import type { Stt, SttStream } from './stt.js';
import type { WhisperInstall } from './whisper-install.js';

const SIDECAR = fileURLToPath(new URL('./whisper-sidecar.py', import.meta.url));
/** The gateway's machine is shared with the VAD, the turn model and the reply path. */
const DEFAULT_THREADS = 2;
/** Loading the model and one warm-up decode. */
const READY_TIMEOUT_MS = 60_000;

export interface WhisperEngineOptions {
  install: WhisperInstall;
  /** Extra PYTHONPATH entries: the pocketsphinx wheel, whose WebRTC VAD the endpointer uses when present. */
  extraPythonPath?: string[];
  threads?: number;
  python?: string;
  closeTimeoutMs?: number;
  /** Endpointing, in ms of silence after speech: when the speculative decode starts, when the final is confirmed. */
  speculateAfterMs?: number;
  endAfterMs?: number;
  /** Decoding: beam width (1: greedy, faster by ~a quarter, more wrong words) and the text the decoder takes as the call so far ('' for none). */
  beamSize?: number;
  prompt?: string;
}

/**
 * One Whisper process (CTranslate2, int8, one model shared by every stream) for all of a
 * gateway's streams: see whisper-sidecar.py. Memory is one model: ~260 MB resident for
 * tiny.en, ~360 MB for base, whatever the number of calls.
 */
export function startWhisperEngine(options: WhisperEngineOptions): Promise<SpeechSidecar> {
  const env: Record<string, string> = {
    WHISPER_MODEL_DIR: options.install.modelDir,
    WHISPER_THREADS: String(options.threads ?? DEFAULT_THREADS),
  };
  if (options.speculateAfterMs !== undefined) env.WHISPER_SPECULATE_MS = String(options.speculateAfterMs);
  if (options.endAfterMs !== undefined) env.WHISPER_END_SILENCE_MS = String(options.endAfterMs);
  if (options.beamSize !== undefined) env.WHISPER_BEAM_SIZE = String(options.beamSize);
  if (options.prompt !== undefined) env.WHISPER_PROMPT = options.prompt;
  return SpeechSidecar.start({
    name: 'whisper',
    script: SIDECAR,
    pythonPath: [options.install.pythonPath, ...(options.extraPythonPath ?? [])].join(path.delimiter),
    python: options.python,
    closeTimeoutMs: options.closeTimeoutMs,
    readyTimeoutMs: READY_TIMEOUT_MS,
    env,
  });
}

/** The gateway's one Whisper engine: started on first use, and again after it died. */
export class SharedWhisperEngine extends SharedSpeechSidecar {
  constructor(
    start: () => Promise<SpeechSidecar>,
    /** e.g. "tiny.en", for labels and the startup banner. */
    readonly model: string,
  ) {
    super(start);
  }
}

/**
 * Whisper (OpenAI's model, CTranslate2 conversion from PyPI), the accurate offline
 * recogniser: English, no key, partials about every second of speech and a final
 * ~0.3 s after the caller stops.
 */
export class WhisperStt implements Stt {
  readonly label: string;

  constructor(private readonly engine: SharedWhisperEngine) {
    this.label = `whisper/${engine.model}`;
  }

  async open({ sampleRate }: { sampleRate: number; signal?: AbortSignal }): Promise<SttStream> {
    if (sampleRate !== 16_000) throw new Error(`whisper takes 16 kHz audio, not ${sampleRate} Hz`);
    const engine = await this.engine.get();
    return engine.openStream();
  }
}
