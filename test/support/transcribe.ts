import type { SttEvent, SttStream } from '../../providers/stt/stt.js';
import { frames } from './speech.js';

/** Pushes audio in 20 ms frames, waits for trailing results, closes, returns every event. */
export async function transcribe(stream: SttStream, audio: Int16Array): Promise<SttEvent[]> {
  const events: SttEvent[] = [];
  const reading = (async () => {
    for await (const event of stream.events) events.push(event);
  })();
  for (const frame of frames(audio)) stream.push(frame);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await stream.close();
  await reading;
  return events;
}
