import { SileroVad } from './silero-vad.js';
import type { Vad } from './vad.js';

/**
 * The gateway's voice activity detector, one for all its calls (Silero batches their
 * windows together). The thresholds are each call's own (VadSettings), not the model's.
 */
export function createVad(): Promise<Vad> {
  return SileroVad.load();
}
