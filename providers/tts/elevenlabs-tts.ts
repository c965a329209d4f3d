import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { TtsProviderConfig } from '../../domain/agent-config.js';
import type { AudioChunk, Tts, WordTiming } from './tts.js';

type ElevenLabsConfig = Extract<TtsProviderConfig, { provider: 'elevenlabs' }>;
const SAMPLE_RATE = 16_000;

/**
 * ElevenLabs streaming text-to-speech with timestamps through its SDK: JSON lines of raw 16 kHz
 * PCM (base64) and the alignment of the characters of the text with the audio (seconds from
 * the start of the whole audio), from which each word's start and end come.
 */
export class ElevenLabsTts implements Tts {
  readonly label: string;
  private readonly client: ElevenLabsClient;

  constructor(
    private readonly config: ElevenLabsConfig,
    apiKey: string,
    defaultBaseUrl?: string,
  ) {
    this.label = `elevenlabs/${config.voiceId}`;
    const baseUrl = config.baseUrl ?? defaultBaseUrl;
    this.client = new ElevenLabsClient({ apiKey, ...(baseUrl ? { baseUrl } : {}), maxRetries: 0 });
  }

  async *synthesize(text: string, signal?: AbortSignal): AsyncIterable<AudioChunk> {
    const stream = await this.client.textToSpeech.streamWithTimestamps(
      this.config.voiceId,
      { text, modelId: this.config.model, outputFormat: 'pcm_16000' },
      { abortSignal: signal },
    );
    const words = new WordAssembler();
    let carry: Uint8Array | undefined;
    for await (const piece of stream) {
      signal?.throwIfAborted();
      const finished = piece.alignment ? words.push(piece.alignment.characters, piece.alignment.characterStartTimesSeconds, piece.alignment.characterEndTimesSeconds) : [];
      let bytes: Uint8Array = Buffer.from(piece.audioBase64 ?? '', 'base64');
      if (carry) {
        bytes = new Uint8Array([...carry, ...bytes]);
        carry = undefined;
      }
      if (bytes.length % 2 === 1) {
        carry = bytes.slice(bytes.length - 1);
        bytes = bytes.subarray(0, bytes.length - 1);
      }
      if (bytes.length > 0 || finished.length > 0) {
        yield { samples: new Int16Array(Uint8Array.from(bytes).buffer), sampleRate: SAMPLE_RATE, ...(finished.length > 0 ? { words: finished } : {}) };
      }
    }
    const last = words.end();
    if (last.length > 0) yield { samples: new Int16Array(0), sampleRate: SAMPLE_RATE, words: last };
  }
}

/** Characters with times in, words (whitespace-separated, as in the text) out once the next one begins. */
export class WordAssembler {
  private current?: { word: string; startMs: number; endMs: number };

  push(characters: string[], starts: number[], ends: number[]): WordTiming[] {
    const done: WordTiming[] = [];
    characters.forEach((character, index) => {
      if (/\s/.test(character)) {
        if (this.current) done.push(this.current);
        this.current = undefined;
        return;
      }
      const startMs = Math.round((starts[index] ?? 0) * 1000);
      const endMs = Math.round((ends[index] ?? starts[index] ?? 0) * 1000);
      if (this.current) {
        this.current.word += character;
        this.current.endMs = endMs;
      } else {
        this.current = { word: character, startMs, endMs };
      }
    });
    return done;
  }

  end(): WordTiming[] {
    const last = this.current;
    this.current = undefined;
    return last ? [last] : [];
  }
}
