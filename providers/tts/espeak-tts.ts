import { spawn } from 'node:child_process';
import type { TtsProviderConfig } from '../../domain/agent-config.js';
import type { AudioChunk, Tts } from './tts.js';

type EspeakConfig = Extract<TtsProviderConfig, { provider: 'espeak' }>;

/**
 * espeak-ng (the Debian package), the no-key default voice. It writes a WAV to stdout
 * as it speaks; the header is parsed once and the PCM streams out as it arrives.
 */
export class EspeakTts implements Tts {
  readonly label: string;

  constructor(
    private readonly config: EspeakConfig,
    private readonly binary = 'espeak-ng',
  ) {
    this.label = `espeak/${config.voice}`;
  }

  async *synthesize(text: string, signal?: AbortSignal): AsyncIterable<AudioChunk> {
    const child = spawn(this.binary, ['--stdout', '-v', this.config.voice, '-s', String(this.config.wordsPerMinute), '--', text], {
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    // Aborting rejects it while the loop below may not be awaiting it yet.
    exited.catch(() => undefined);
    let header = Buffer.alloc(0);
    let sampleRate = 0;
    let carry: Buffer | undefined;
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      signal?.throwIfAborted();
      let data = chunk;
      if (!sampleRate) {
        header = Buffer.concat([header, chunk]);
        const parsed = parseWavHeader(header);
        if (!parsed) continue;
        sampleRate = parsed.sampleRate;
        data = header.subarray(parsed.dataOffset);
      }
      if (carry) {
        data = Buffer.concat([carry, data]);
        carry = undefined;
      }
      if (data.length % 2 === 1) {
        carry = data.subarray(data.length - 1);
        data = data.subarray(0, data.length - 1);
      }
      if (data.length > 0) yield { samples: new Int16Array(Uint8Array.from(data).buffer), sampleRate };
    }
    const code = await exited.catch((error: Error) => {
      throw new Error(`espeak-ng could not run (${error.message}); install it: apt-get install espeak-ng`);
    });
    if (code !== 0 && !signal?.aborted) throw new Error(`espeak-ng failed (exit ${code}): ${stderr.trim()}`);
  }
}

/** The RIFF/WAVE header: sample rate and where the samples start. */
export function parseWavHeader(bytes: Buffer): { sampleRate: number; dataOffset: number } | undefined {
  if (bytes.length < 12) return undefined;
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV stream');
  let offset = 12;
  let sampleRate = 0;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      if (offset + 16 > bytes.length) return undefined;
      sampleRate = bytes.readUInt32LE(offset + 12);
    }
    if (id === 'data') return sampleRate ? { sampleRate, dataOffset: offset + 8 } : undefined;
    offset += 8 + size + (size % 2);
  }
  return undefined;
}
