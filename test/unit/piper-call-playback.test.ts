import { describe, expect, it } from '@jest/globals';
import { createTts } from '../../providers/tts/create-tts.js';
import { OutboundPacer } from '../../media-gateway/audio/outbound-pacer.js';
import { AudioCallSession } from '../../media-gateway/session/audio-call-session.js';
import { PhraseCache } from '../../media-gateway/session/phrase-cache.js';
import type { Stt } from '../../providers/stt/stt.js';
import type { Vad } from '../../providers/vad/vad.js';
import { AsyncQueue } from '../../platform/async-queue.js';

const silentVad: Vad = { label: 'none', createStream: () => ({ windowSamples: 512, push: async () => [], close: () => undefined }) };
const deafStt: Stt = { label: 'none', open: async () => ({ push: () => undefined, events: new AsyncQueue(), close: async () => undefined }) };

describe('piper in a phone call', () => {
  it('plays a reply to an 8 kHz sink, resampled from the voice rate, marked as heard', async () => {
    const tts = createTts({ provider: 'piper', voice: 'en_US-joe-medium', speed: 1 }, {});
    expect(tts.label).toBe('piper/en_US-joe-medium');
    const frames: Int16Array[] = [];
    const session: AudioCallSession = new AudioCallSession({
      callId: 'call-piper',
      sink: { sampleRate: 8_000, sendFrame: (samples) => frames.push(samples), sendMark: (name) => session.markPlayed(name), clear: () => undefined, close: () => undefined },
      pacer: new OutboundPacer(),
      vad: silentVad,
      vadSettings: { activation: 0.5, minSpeechMs: 200, minSilenceMs: 600 },
      stt: [deafStt],
      tts: [tts],
      phrases: new PhraseCache(),
      log: { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined } as never,
      onTurn: () => undefined,
    });
    try {
      await session.start();
      const reply = session.startReply('t-1');
      reply.write('Thanks for calling. How can I help?');
      expect(await reply.end()).toMatchObject({ heardText: 'Thanks for calling. How can I help?', interrupted: false });
      expect(frames.every((frame) => frame.length === 160)).toBe(true);
      // About two seconds of speech at 20 ms a frame.
      expect(frames.length).toBeGreaterThan(50);
      expect(frames.length).toBeLessThan(250);
      const loud = frames.filter((frame) => frame.some((sample) => Math.abs(sample) > 2_000));
      expect(loud.length).toBeGreaterThan(20);
    } finally {
      session.close('hangup-agent');
    }
  }, 600_000);
});
