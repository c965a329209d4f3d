import { createResampler } from '../../media-gateway/audio/resampler.js';
import { EspeakTts } from '../../providers/tts/espeak-tts.js';

/** Real speech for scripted callers: espeak-ng saying `text`, as mono PCM16 at `sampleRate`. */
export async function speech(text: string, sampleRate = 16_000): Promise<Int16Array> {
  const tts = new EspeakTts({ provider: 'espeak', voice: 'en-us', wordsPerMinute: 175 });
  const parts: Int16Array[] = [];
  let resampler: Awaited<ReturnType<typeof createResampler>> | undefined;
  for await (const chunk of tts.synthesize(text)) {
    resampler ??= await createResampler(chunk.sampleRate, sampleRate);
    parts.push(resampler.process(chunk.samples));
  }
  resampler?.destroy();
  return concat(parts);
}

export function silence(ms: number, sampleRate = 16_000): Int16Array {
  return new Int16Array((sampleRate * ms) / 1000);
}

export function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Splits audio into frames of `ms` milliseconds. */
export function frames(samples: Int16Array, ms = 20, sampleRate = 16_000): Int16Array[] {
  const size = (sampleRate * ms) / 1000;
  const out: Int16Array[] = [];
  for (let i = 0; i < samples.length; i += size) out.push(samples.slice(i, i + size));
  return out;
}
