/**
 * The Piper voice's ONNX session, in a worker thread: onnxruntime-node runs a session on the
 * calling thread, and a sentence takes a few hundred milliseconds, which on the main thread
 * would stall every live call's 20 ms audio frames. Started by piper-voice.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';

export interface PiperWorkerData {
  model: string;
  threads: number;
}
export interface PiperWorkerRequest {
  id: number;
  ids: number[];
  scales: [number, number, number];
}
export type PiperWorkerReply =
  | { type: 'ready' }
  | { type: 'audio'; id: number; samples: Int16Array }
  | { type: 'error'; id: number; message: string };

/** Loudness to aim each piece at (of full scale), and the most gain used to get there. */
const PEAK_TARGET = 0.9;
const MAX_GAIN = 4;

/** Float audio to PCM16, each piece brought to a steady loudness (as Piper does). */
function toPcm16(audio: Float32Array): Int16Array {
  let peak = 0;
  for (const value of audio) peak = Math.max(peak, Math.abs(value));
  const gain = peak > 0 ? Math.min(MAX_GAIN, PEAK_TARGET / peak) : 1;
  const pcm = new Int16Array(audio.length);
  for (let i = 0; i < audio.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round((audio[i] as number) * gain * 32767)));
  return pcm;
}

const port = parentPort;
if (!port) throw new Error('piper-inference-worker runs as a worker thread');
const { model, threads } = workerData as PiperWorkerData;
const session = await ort.InferenceSession.create(model, {
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
});
const reply = (message: PiperWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

// One request at a time, in the order sent: the session never takes more than its threads.
let queue = Promise.resolve();
port.on('message', (request: PiperWorkerRequest) => {
  queue = queue.then(async () => {
    try {
      const outputs = await session.run({
        input: new ort.Tensor('int64', BigInt64Array.from(request.ids, BigInt), [1, request.ids.length]),
        input_lengths: new ort.Tensor('int64', BigInt64Array.from([BigInt(request.ids.length)]), [1]),
        scales: new ort.Tensor('float32', Float32Array.from(request.scales), [3]),
      });
      const output = outputs[session.outputNames[0] as string];
      if (!output) throw new Error('the voice returned no audio');
      const samples = toPcm16(output.data as Float32Array);
      reply({ type: 'audio', id: request.id, samples }, [samples.buffer as ArrayBuffer]);
    } catch (error) {
      reply({ type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
    }
  });
});
reply({ type: 'ready' });
