import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeDeepgramOptions {
  /** What each utterance "says", in order across all connections. */
  transcripts: (index: number) => string;
  apiKey?: string;
  /** RMS above which a 20 ms frame counts as speech. */
  speechThreshold?: number;
}

/**
 * Deepgram's live transcription WebSocket (`/v1/listen`) as documented: `Authorization:
 * Token <key>`, options in the query (encoding=linear16, sample_rate, interim_results,
 * endpointing), binary audio in, `Results` messages out with `is_final` and
 * `speech_final`, `CloseStream` answered with `Metadata` and a close. It cannot
 * recognise speech: it finds utterances by energy and endpointing silence, and
 * answers each with the next scripted transcript.
 */
export class FakeDeepgramServer {
  readonly connections: { query: URLSearchParams; audioBytes: number }[] = [];
  private server?: Server;
  private utterances = 0;

  constructor(private readonly options: FakeDeepgramOptions) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const key = this.options.apiKey ?? 'test-deepgram-key';
      if (url.pathname !== '/v1/listen' || req.headers.authorization !== `Token ${key}`) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.session(ws, url.searchParams));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private session(ws: WebSocket, query: URLSearchParams): void {
    const record = { query, audioBytes: 0 };
    this.connections.push(record);
    const sampleRate = Number(query.get('sample_rate') ?? 16_000);
    const endpointingMs = Number(query.get('endpointing') ?? 300);
    const interim = query.get('interim_results') === 'true';
    const threshold = this.options.speechThreshold ?? 500;
    const frameSamples = (sampleRate * 20) / 1000;
    let pending = new Int16Array(0);
    let seconds = 0;
    let inSpeech = false;
    let speechStart = 0;
    let silentMs = 0;
    let sinceInterim = 0;

    const results = (text: string, isFinal: boolean, start: number, end: number) =>
      ws.send(
        JSON.stringify({
          type: 'Results',
          channel_index: [0, 1],
          duration: end - start,
          start,
          is_final: isFinal,
          speech_final: isFinal,
          channel: { alternatives: [{ transcript: text, confidence: 0.98, words: [] }] },
          metadata: { request_id: randomUUID(), model_info: { name: query.get('model') ?? 'nova-3', version: 'fake', arch: 'fake' } },
          from_finalize: false,
        }),
      );

    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        const message = JSON.parse(data.toString()) as { type: string };
        if (message.type === 'CloseStream') {
          ws.send(JSON.stringify({ type: 'Metadata', request_id: randomUUID(), duration: seconds, channels: 1 }));
          ws.close(1000);
        }
        return;
      }
      const bytes = data as Buffer;
      record.audioBytes += bytes.length;
      const incoming = new Int16Array(Uint8Array.from(bytes).buffer);
      const joined = new Int16Array(pending.length + incoming.length);
      joined.set(pending);
      joined.set(incoming, pending.length);
      let offset = 0;
      for (; offset + frameSamples <= joined.length; offset += frameSamples) {
        const frame = joined.subarray(offset, offset + frameSamples);
        let sum = 0;
        for (const s of frame) sum += s * s;
        const loud = Math.sqrt(sum / frame.length) > threshold;
        seconds += 0.02;
        if (loud) {
          if (!inSpeech) {
            inSpeech = true;
            speechStart = seconds;
          }
          silentMs = 0;
          sinceInterim += 20;
          if (interim && sinceInterim >= 400) {
            sinceInterim = 0;
            const words = this.options.transcripts(this.utterances).split(' ');
            results(words.slice(0, Math.max(1, Math.floor(words.length / 2))).join(' '), false, speechStart, seconds);
          }
        } else if (inSpeech) {
          silentMs += 20;
          if (silentMs >= endpointingMs) {
            inSpeech = false;
            sinceInterim = 0;
            results(this.options.transcripts(this.utterances++), true, speechStart, seconds);
          }
        }
      }
      pending = joined.slice(offset);
    });
  }
}
