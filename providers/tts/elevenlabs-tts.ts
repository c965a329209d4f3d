import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { TtsProviderConfig } from '../../domain/agent-config.js';
import type { AudioChunk, Tts } from './tts.js';

type ElevenLabsConfig = Extract<TtsProviderConfig, { provider: 'elevenlabs' }>;
const SAMPLE_RATE = 16_000;

/** ElevenLabs streaming text-to-speech through its SDK, as raw 16 kHz PCM (no decoding needed). */
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
    const stream = await this.client.textToSpeech.stream(
      this.config.voiceId,
      { text, modelId: this.config.model, outputFormat: 'pcm_16000' },
      { abortSignal: signal },
    );
    let carry: Uint8Array | undefined;
    for await (const piece of stream as unknown as AsyncIterable<Uint8Array>) {
      signal?.throwIfAborted();
      let bytes = piece;
      if (carry) {
        bytes = new Uint8Array([...carry, ...piece]);
        carry = undefined;
      }
      if (bytes.length % 2 === 1) {
        carry = bytes.slice(bytes.length - 1);
        bytes = bytes.subarray(0, bytes.length - 1);
      }
      if (bytes.length > 0) yield { samples: new Int16Array(Uint8Array.from(bytes).buffer), sampleRate: SAMPLE_RATE };
    }
  }
}
