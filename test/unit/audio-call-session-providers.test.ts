import { describe, expect, it } from '@jest/globals';
import type { SttProviderConfig, TtsProviderConfig } from '../../domain/agent-config.js';
import { OutboundPacer } from '../../media-gateway/audio/outbound-pacer.js';
import { AudioCallSession } from '../../media-gateway/session/audio-call-session.js';
import { PhraseCache } from '../../media-gateway/session/phrase-cache.js';
import { AsyncQueue } from '../../platform/async-queue.js';
import type { Stt, SttEvent, SttStream } from '../../providers/stt/stt.js';
import type { AudioChunk, Tts } from '../../providers/tts/tts.js';
import type { Vad } from '../../providers/vad/vad.js';

/** Records which recogniser streams are open and which voice said what. */
class Recorder {
  readonly opened: string[] = [];
  readonly closed: string[] = [];
  readonly spoken: string[] = [];

  stt(config: SttProviderConfig): Stt {
    const label = config.provider;
    return {
      label,
      open: async (): Promise<SttStream> => {
        this.opened.push(label);
        const events = new AsyncQueue<SttEvent>();
        return {
          push: () => undefined,
          events,
          close: async () => {
            this.closed.push(label);
            events.end();
          },
        };
      },
    };
  }

  tts(config: TtsProviderConfig): Tts {
    const label = config.provider === 'elevenlabs' ? `elevenlabs:${config.voiceId}` : `${config.provider}:${config.voice}`;
    const spoken = this.spoken;
    return {
      label,
      async *synthesize(text: string): AsyncIterable<AudioChunk> {
        spoken.push(`${label}: ${text}`);
        yield { samples: new Int16Array(160), sampleRate: 8_000 };
      },
    };
  }
}

const silentVad: Vad = { label: 'none', createStream: () => ({ windowSamples: 512, push: async () => [], close: () => undefined }) };

describe('audio call session: providers switched by a graph node', () => {
  it('speaks the next reply with the new voice and hands the caller to the new recogniser', async () => {
    const recorder = new Recorder();
    const initial = { stt: [{ provider: 'pocketsphinx' as const }], tts: [{ provider: 'espeak' as const, voice: 'en-us', wordsPerMinute: 175 }] };
    const pacer = new OutboundPacer();
    const frames: Int16Array[] = [];
    const session: AudioCallSession = new AudioCallSession({
      callId: 'call-1',
      sink: { sampleRate: 8_000, sendFrame: (samples) => frames.push(samples), sendMark: (name) => session.markPlayed(name), clear: () => undefined, close: () => undefined },
      pacer,
      vad: silentVad,
      vadSettings: { activation: 0.5, minSpeechMs: 200, minSilenceMs: 600 },
      stt: initial.stt.map((config) => recorder.stt(config)),
      tts: initial.tts.map((config) => recorder.tts(config)),
      createStt: (config) => recorder.stt(config),
      createTts: (config) => recorder.tts(config),
      providerConfigs: initial,
      phrases: new PhraseCache(),
      log: { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined } as never,
      onTurn: () => undefined,
    });
    try {
      await session.start();
      const say = async (text: string) => {
        const reply = session.startReply(`t-${text}`);
        reply.write(text);
        return reply.end();
      };
      await say('Hello.');

      // The same providers again: nothing is rebuilt or reopened.
      await session.useProviders(initial);
      expect(recorder.opened).toEqual(['pocketsphinx']);

      await session.useProviders({ stt: [{ provider: 'deepgram', model: 'nova-3', language: 'en-US' }], tts: [{ provider: 'elevenlabs', voiceId: 'rachel', model: 'eleven_flash_v2_5' }] });
      expect(await say('Welcome to billing.')).toMatchObject({ heardText: 'Welcome to billing.', interrupted: false });
      expect(recorder.spoken).toEqual(['espeak:en-us: Hello.', 'elevenlabs:rachel: Welcome to billing.']);
      expect(recorder.opened).toEqual(['pocketsphinx', 'deepgram']);
      expect(recorder.closed).toEqual(['pocketsphinx']);

      // Keys pressed by the agent go out as in-band tones, paced like speech.
      const before = frames.length;
      const keys = session.startReply('t-keys');
      keys.tones!('1#');
      await keys.end();
      await new Promise((resolve) => setTimeout(resolve, 2 * 9 * 20 + 200));
      expect(frames.length - before).toBe(18);
    } finally {
      // Unregisters from the pacer, whose timer stops with its last call.
      session.close('hangup-agent');
    }
  });
});
