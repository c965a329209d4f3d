import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * ElevenLabs' streaming endpoints, `POST /v1/text-to-speech/{voice_id}/stream` and
 * `.../stream/with-timestamps`, with an `xi-api-key` header and `output_format` in the
 * query. The first answers with chunked raw PCM (`pcm_16000`); the second with JSON lines,
 * each `audio_base64` (the same PCM) and the `alignment` (and `normalized_alignment`) of the
 * characters that start in that chunk: `characters`, `character_start_times_seconds`,
 * `character_end_times_seconds`, counted from the start of the whole audio. The audio is a
 * tone whose length grows with the text (60 ms a character, at most 3 s), so tests can tell
 * replies apart by duration, and each character's time is its share of it.
 */
const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

export class FakeElevenLabsServer {
  readonly requests: { voiceId: string; text: string; outputFormat: string | null; modelId?: string }[] = [];
  failWith?: number;
  /** Delay before the first audio byte (time to first byte). */
  firstByteMs = 0;
  private server?: Server;

  constructor(private readonly apiKey = 'test-elevenlabs-key') {}

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const match = /^\/v1\/text-to-speech\/([^/]+)\/stream(\/with-timestamps)?$/.exec(url.pathname);
      if (req.method !== 'POST' || !match) return res.writeHead(404).end();
      if (req.headers['xi-api-key'] !== this.apiKey) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ detail: { status: 'invalid_api_key', message: 'Invalid API key' } }));
      }
      let body = '';
      for await (const chunk of req) body += chunk;
      const request = JSON.parse(body) as { text: string; model_id?: string };
      this.requests.push({ voiceId: decodeURIComponent(match[1]!), text: request.text, outputFormat: url.searchParams.get('output_format'), modelId: request.model_id });
      if (this.failWith) {
        res.writeHead(this.failWith, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ detail: { status: 'error', message: 'scripted failure' } }));
      }
      if (this.firstByteMs) await new Promise((resolve) => setTimeout(resolve, this.firstByteMs));
      const timestamps = Boolean(match[2]);
      res.writeHead(200, { 'content-type': timestamps ? 'application/json' : 'audio/pcm', 'transfer-encoding': 'chunked' });
      const samples = Math.round(16_000 * Math.min(3, 0.06 * request.text.length));
      const charSeconds = samples / 16_000 / Math.max(1, request.text.length);
      const chunkSamples = 1_600;
      let nextChar = 0;
      for (let start = 0; start < samples && !res.destroyed; start += chunkSamples) {
        const chunk = new Int16Array(Math.min(chunkSamples, samples - start));
        for (let i = 0; i < chunk.length; i++) chunk[i] = Math.round(8_000 * Math.sin((2 * Math.PI * 220 * (start + i)) / 16_000));
        if (!timestamps) {
          res.write(Buffer.from(chunk.buffer));
        } else {
          const characters: string[] = [];
          while (nextChar < request.text.length && nextChar * charSeconds * 16_000 < start + chunk.length) characters.push(request.text[nextChar++]!);
          const first = nextChar - characters.length;
          const alignment = {
            characters,
            character_start_times_seconds: characters.map((_, i) => round((first + i) * charSeconds)),
            character_end_times_seconds: characters.map((_, i) => round((first + i + 1) * charSeconds)),
          };
          res.write(`${JSON.stringify({ audio_base64: Buffer.from(chunk.buffer).toString('base64'), alignment, normalized_alignment: alignment })}\n`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      res.end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
