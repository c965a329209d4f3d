import type { SttProviderConfig } from '../../domain/agent-config.js';
import type { AppConfig } from '../../platform/config-schema.js';
import type { Logger } from '../../platform/logger.js';
import { DeepgramStt } from './deepgram-stt.js';
import { ensurePocketSphinx } from './pocketsphinx-install.js';
import { PocketSphinxEngine, PocketSphinxStt, SharedPocketSphinxEngine } from './pocketsphinx-stt.js';
import type { Stt } from './stt.js';

export type SttKeys = Pick<AppConfig, 'DEEPGRAM_API_KEY' | 'DEEPGRAM_BASE_URL'>;

/** The recogniser for one entry of an agent's STT fallback chain. */
export function createStt(config: SttProviderConfig, keys: SttKeys, pocketSphinx: SharedPocketSphinxEngine): Stt {
  switch (config.provider) {
    case 'deepgram':
      return new DeepgramStt(config, keys.DEEPGRAM_API_KEY ?? '', keys.DEEPGRAM_BASE_URL);
    case 'pocketsphinx':
      return new PocketSphinxStt(() => pocketSphinx.get());
  }
}

/** The no-key recogniser: installed now if missing (once), started on the first call that needs it. */
export function createOfflineSpeechEngine(log: Logger): SharedPocketSphinxEngine {
  let pythonPath: string | undefined;
  try {
    pythonPath = ensurePocketSphinx(undefined, (line) => log.info(line));
  } catch (error) {
    log.warn({ err: error }, 'offline speech recognition is unavailable; agents need another STT provider');
  }
  return new SharedPocketSphinxEngine(async () => {
    if (!pythonPath) throw new Error('pocketsphinx is not installed');
    return PocketSphinxEngine.start({ pythonPath });
  });
}
