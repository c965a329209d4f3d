import { spawn } from 'node:child_process';
import type { TtsProviderConfig } from '../../domain/agent-config.js';
import type { AudioChunk, Tts } from './tts.js';
import { estimateWordTimings } from './word-timing-estimate.js';

type EspeakConfig = Extract<TtsProviderConfig, { provider: 'espeak' }>;

/**
 * espeak-ng (the Debian package), the no-key default voice. It writes a WAV to stdout
 * as it speaks; the header is parsed once and the PCM streams out as it arrives. The CLI
 * reports no word events, so the words' timings are estimated from the audio once it is all
 * there (espeak-ng is many times faster than real time) and come with the last chunk.
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
    const voice = ['-v', this.config.voice, '-s', String(this.config.wordsPerMinute), '--', text];
    // The words' phonemes weigh their shares of the audio (a second, quick run: the CLI cannot write both to pipes).
    const mnemonics = phonemeMnemonics(this.binary, voice, signal);
    const child = spawn(this.binary, ['--stdout', ...voice], {
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
    // Held back one chunk, so that the last can carry the words.
    let held: AudioChunk | undefined;
    const pieces: Int16Array[] = [];
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
      if (data.length === 0) continue;
      if (held) yield held;
      held = { samples: new Int16Array(Uint8Array.from(data).buffer), sampleRate };
      pieces.push(held.samples);
    }
    const code = await exited.catch((error: Error) => {
      throw new Error(`espeak-ng could not run (${error.message}); install it: apt-get install espeak-ng`);
    });
    if (code !== 0 && !signal?.aborted) throw new Error(`espeak-ng failed (exit ${code}): ${stderr.trim()}`);
    signal?.throwIfAborted();
    if (held) yield { ...held, words: estimateWordTimings(text, joinSamples(pieces), sampleRate, phonemeWeights(await mnemonics)) };
    // The consumer may abort while it holds the chunk; the stream ends then, as before it.
    signal?.throwIfAborted();
  }
}

/** `-x` output, or '' when it fails: the estimate then weighs letters. */
function phonemeMnemonics(binary: string, args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(binary, ['-q', '-x', ...args], { stdio: ['ignore', 'pipe', 'ignore'], signal });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', () => resolve(''));
    child.once('close', (code) => resolve(code === 0 ? stdout : ''));
  });
}

/** Phonemes per word of `-x` output ("h@l'oU DIs"): its letters, stress and length marks left out. */
export function phonemeWeights(mnemonics: string): number[] {
  return mnemonics
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.replace(/[^A-Za-z0-9@&]/g, '').length);
}

function joinSamples(pieces: Int16Array[]): Int16Array {
  const joined = new Int16Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  return joined;
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
