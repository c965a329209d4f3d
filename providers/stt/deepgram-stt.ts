import { DeepgramClient } from '@deepgram/sdk';
import type { SttProviderConfig } from '../../domain/agent-config.js';
import { AsyncQueue } from '../../platform/async-queue.js';
import type { Stt, SttEvent, SttStream } from './stt.js';

type DeepgramConfig = Extract<SttProviderConfig, { provider: 'deepgram' }>;

interface DeepgramResults {
  type: 'Results';
  is_final?: boolean;
  speech_final?: boolean;
  channel?: { alternatives?: { transcript?: string }[] };
}

/** Deepgram live transcription over its WebSocket API, through @deepgram/sdk. */
export class DeepgramStt implements Stt {
  readonly label: string;

  constructor(
    private readonly config: DeepgramConfig,
    private readonly apiKey: string,
    private readonly defaultBaseUrl?: string,
  ) {
    this.label = `deepgram/${config.model}`;
  }

  async open({ sampleRate, signal }: { sampleRate: number; signal?: AbortSignal }): Promise<SttStream> {
    const base = this.config.baseUrl ?? this.defaultBaseUrl;
    const client = new DeepgramClient({
      apiKey: this.apiKey,
      ...(base ? { environment: { base, production: base.replace(/^http/, 'ws'), agent: base.replace(/^http/, 'ws'), agentRest: base } } : {}),
    });
    const socket = await client.listen.v1.connect({
      model: this.config.model,
      language: this.config.language,
      encoding: 'linear16',
      sample_rate: sampleRate,
      channels: 1,
      interim_results: 'true',
      punctuate: 'true',
      endpointing: 300,
      reconnectAttempts: 0,
      abortSignal: signal,
    } as Parameters<typeof client.listen.v1.connect>[0]);
    const events = new AsyncQueue<SttEvent>();
    socket.on('message', (message) => {
      if (message.type !== 'Results') return;
      const results = message as unknown as DeepgramResults;
      const text = results.channel?.alternatives?.[0]?.transcript?.trim() ?? '';
      if (!text) return;
      events.push(results.is_final ? { type: 'final', text, at: Date.now(), speechFinal: Boolean(results.speech_final) } : { type: 'partial', text, at: Date.now() });
    });
    socket.on('error', (error) => events.end(error instanceof Error ? error : new Error(String(error))));
    socket.on('close', () => events.end());
    // The SDK's socket starts closed: handlers first, then connect.
    socket.connect();
    // A refused handshake (bad key, 4xx) rejects with an event, not an Error.
    await socket.waitForOpen().catch((event: unknown) => {
      socket.close();
      const message = (event as { message?: string; error?: Error })?.error?.message ?? (event as { message?: string })?.message ?? 'connection refused';
      throw new Error(`Deepgram refused the connection: ${message}`);
    });
    let closed = false;
    return {
      events,
      push: (samples) => {
        // Audio racing a close (the call hung up) is dropped, not an error.
        if (!closed) socket.sendMedia(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
      },
      close: async () => {
        closed = true;
        try {
          socket.sendCloseStream({ type: 'CloseStream' });
        } catch {
          // already closed
        }
        socket.close();
        events.end();
      },
    };
  }
}
