/**
 * The carrier side of bench/gateway-capacity in its own process: N Twilio Media
 * Streams callers (the same protocol client the tests use), each sending 20 ms µ-law
 * frames of looped speech every 20 ms and echoing marks. Driven over IPC:
 * { type: 'call', urls } → { type: 'connected' }; { type: 'hang-up' } → { type: 'done', mediaReceived }.
 */
import { TwilioMediaStreamCaller } from '../test/fakes/twilio-media-stream-caller.js';
import { concat, silence, speech } from '../test/support/speech.js';

type Command = { type: 'call'; urls: string[] } | { type: 'hang-up' };

const line = concat([await speech('Hello, I would like to book a table for two tonight, please.', 8_000), silence(1_000, 8_000)]);
let callers: TwilioMediaStreamCaller[] = [];
let talking = true;

process.on('message', async (command: Command) => {
  if (command.type === 'call') {
    talking = true;
    callers = command.urls.map((url) => new TwilioMediaStreamCaller(url));
    await Promise.all(callers.map((caller) => caller.start()));
    for (const [index, caller] of callers.entries()) {
      void (async () => {
        // Staggered, so that not every caller speaks the same window at once.
        await caller.speak(line.subarray(((index * 160 * 7) % line.length) - (((index * 160 * 7) % line.length) % 160)));
        while (talking) await caller.speak(line);
      })();
    }
    process.send!({ type: 'connected' });
  } else {
    talking = false;
    const mediaReceived = callers.reduce((sum, caller) => sum + caller.count('media'), 0);
    await Promise.all(callers.map((caller) => caller.hangUp()));
    callers = [];
    process.send!({ type: 'done', mediaReceived });
  }
});
process.send!({ type: 'ready' });
