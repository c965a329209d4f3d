import type { SttProviderConfig } from '../../domain/agent-config.js';
import type { AppConfig } from '../../platform/config-schema.js';
import type { Logger } from '../../platform/logger.js';
import { DeepgramStt } from './deepgram-stt.js';
import { ensurePocketSphinx, isPocketSphinxInstalled, pocketSphinxDir } from './pocketsphinx-install.js';
import { PocketSphinxEngine, PocketSphinxStt, SharedPocketSphinxEngine } from './pocketsphinx-stt.js';
import type { Stt } from './stt.js';
import { ensureWhisper, type WhisperModel } from './whisper-install.js';
import { SharedWhisperEngine, startWhisperEngine, WhisperStt } from './whisper-stt.js';

export type SttKeys = Pick<AppConfig, 'DEEPGRAM_API_KEY' | 'DEEPGRAM_BASE_URL'>;

/** The gateway's no-key recognisers, each one shared process started on first use. */
export interface OfflineSpeechEngines {
  pocketSphinx: SharedPocketSphinxEngine;
  whisper: SharedWhisperEngine;
  stop(): void;
}

/** The recogniser for one entry of an agent's STT fallback chain. */
export function createStt(config: SttProviderConfig, keys: SttKeys, offline: OfflineSpeechEngines): Stt {
  switch (config.provider) {
    case 'deepgram':
      return new DeepgramStt(config, keys.DEEPGRAM_API_KEY ?? '', keys.DEEPGRAM_BASE_URL);
    case 'pocketsphinx':
      return new PocketSphinxStt(() => offline.pocketSphinx.get());
    case 'whisper':
      return new WhisperStt(offline.whisper);
  }
}

/** For the startup banner: which engine a `{ provider }` entry is served by. */
export function describeOfflineStt(provider: 'pocketsphinx' | 'whisper', engines: OfflineSpeechEngines): string {
  return provider === 'whisper' ? `whisper/${engines.whisper.model} (offline, CTranslate2 int8)` : 'pocketsphinx/en-us (offline)';
}

/**
 * The no-key recognisers. PocketSphinx is installed now if missing (small, once).
 * Whisper's runtime and weights (~190 MB + 75-145 MB on disk) install on the first
 * stream that needs them, or, with `installWhisperNow` (for a gateway whose agents use
 * it by default), in the background from now, so that first call does not wait.
 * Progress goes to the log either way; the process starts on the first stream.
 */
export function createOfflineSpeechEngine(log: Logger, options: { whisperModel?: WhisperModel; installWhisperNow?: boolean } = {}): OfflineSpeechEngines {
  let pythonPath: string | undefined;
  try {
    pythonPath = ensurePocketSphinx(undefined, (line) => log.info(line));
  } catch (error) {
    log.warn({ err: error }, 'offline speech recognition (pocketsphinx) is unavailable; agents need another STT provider');
  }
  const pocketSphinx = new SharedPocketSphinxEngine(async () => {
    if (!pythonPath) throw new Error('pocketsphinx is not installed');
    return PocketSphinxEngine.start({ pythonPath });
  });
  const model = options.whisperModel ?? 'base';
  if (options.installWhisperNow) {
    ensureWhisper(model, { log: (line) => log.info(line) }).catch((error: unknown) =>
      log.warn({ err: error }, 'offline speech recognition (whisper) is unavailable; its agents fall back to the next STT provider'),
    );
  }
  const whisper = new SharedWhisperEngine(async () => {
    const install = await ensureWhisper(model, { log: (line) => log.info(line) });
    // Its endpointer uses the WebRTC VAD of the pocketsphinx wheel when that is installed.
    return startWhisperEngine({ install, extraPythonPath: isPocketSphinxInstalled() ? [pocketSphinxDir()] : [] });
  }, model);
  return {
    pocketSphinx,
    whisper,
    stop() {
      pocketSphinx.stop();
      whisper.stop();
    },
  };
}
