import { fileURLToPath } from 'node:url';
import { SharedSpeechSidecar, SpeechSidecar, type SpeechSidecarOptions } from './speech-sidecar.js';
import type { Stt, SttStream } from './stt.js';

const SIDECAR = fileURLToPath(new URL('./pocketsphinx-sidecar.py', import.meta.url));

export type PocketSphinxEngine = SpeechSidecar;

/** One PocketSphinx process shared by all of a gateway's streams (see pocketsphinx-sidecar.py). */
export const PocketSphinxEngine = {
  start: (options: Omit<SpeechSidecarOptions, 'name' | 'script'>): Promise<SpeechSidecar> => SpeechSidecar.start({ ...options, name: 'pocketsphinx', script: SIDECAR }),
};

/**
 * PocketSphinx, the no-key offline recogniser (US English, CMU Sphinx model). Less
 * accurate than a cloud engine; it keeps `npm start` and keyless agents hearing callers.
 */
export class PocketSphinxStt implements Stt {
  readonly label = 'pocketsphinx/en-us';

  constructor(private readonly engine: () => Promise<PocketSphinxEngine>) {}

  async open({ sampleRate }: { sampleRate: number; signal?: AbortSignal }): Promise<SttStream> {
    if (sampleRate !== 16_000) throw new Error(`pocketsphinx takes 16 kHz audio, not ${sampleRate} Hz`);
    const engine = await this.engine();
    return engine.openStream();
  }
}

/** The gateway's one engine: started on first use, and again after it died. */
export class SharedPocketSphinxEngine extends SharedSpeechSidecar {}
