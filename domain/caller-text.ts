// Free of zod: the workflows' LLM context imports it.
import type { TranscriptEntry } from './conversation.js';

/** A caller turn as the model sees it: keys pressed are described in words. */
export function callerText(entry: Pick<TranscriptEntry, 'text' | 'dtmf'>): string {
  return entry.dtmf ? `[The caller pressed ${[...entry.dtmf].join(' ')} on the keypad]` : entry.text;
}
