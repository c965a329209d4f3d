import alawmulaw from 'alawmulaw';

// CommonJS without named exports Node's ESM loader can detect.
const { mulaw } = alawmulaw;

/** Twilio Media Streams audio: 8 kHz mono µ-law, one byte a sample. */
export const TWILIO_SAMPLE_RATE = 8_000;
/** What VAD, STT and the browser use: 16 kHz mono PCM16. */
export const PIPELINE_SAMPLE_RATE = 16_000;
export const FRAME_MS = 20;

export function mulawToPcm16(bytes: Uint8Array): Int16Array {
  return mulaw.decode(bytes);
}

export function pcm16ToMulaw(samples: Int16Array): Uint8Array {
  return mulaw.encode(samples);
}

export function int16ToFloat32(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

export function float32ToInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    out[i] = s < 0 ? s * 32768 : s * 32767;
  }
  return out;
}

/** Little-endian PCM16 bytes (what sockets and WAV files carry) as samples, copying if unaligned. */
export function bytesToInt16(bytes: Uint8Array): Int16Array {
  const even = bytes.byteLength - (bytes.byteLength % 2);
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, even / 2);
  // Buffer#slice is a view on the shared pool: copy into a fresh, aligned buffer.
  return new Int16Array(Uint8Array.from(bytes.subarray(0, even)).buffer);
}

export function int16ToBytes(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

/** How a transport's inbound bytes become samples: the decode stage of an audio session. */
export interface InboundCodec {
  readonly sampleRate: number;
  decode(bytes: Uint8Array): Int16Array;
}

/** Twilio Media Streams: 8 kHz µ-law. */
export const mulawCodec: InboundCodec = { sampleRate: TWILIO_SAMPLE_RATE, decode: mulawToPcm16 };

/** A browser microphone: 16 kHz little-endian PCM16, already at the pipeline's rate. */
export const pcm16Codec: InboundCodec = { sampleRate: PIPELINE_SAMPLE_RATE, decode: bytesToInt16 };
