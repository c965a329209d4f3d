import { afterEach, describe, expect, it } from '@jest/globals';
import { OutboundPacer } from '../../media-gateway/audio/outbound-pacer.js';
import { AudioCallSession } from '../../media-gateway/session/audio-call-session.js';
import type { AudioPlayback } from '../../media-gateway/session/audio-playback.js';
import { PhraseCache } from '../../media-gateway/session/phrase-cache.js';
import type { Stt, SttEvent, SttStream } from '../../providers/stt/stt.js';
import type { AudioChunk, Tts } from '../../providers/tts/tts.js';
import type { Vad } from '../../providers/vad/vad.js';
import { AsyncQueue } from '../../platform/async-queue.js';

const RATE = 8_000;
const WORD_MS = 200;
/** The far end plays what it receives this much later (Twilio's buffer, a browser's schedule). */
const FAR_END_DELAY_MS = 60;

/** A voice whose every word is 200 ms of sound, streamed a word a chunk with its timing. */
const wordVoice: Tts = {
  label: 'words',
  async *synthesize(text: string): AsyncIterable<AudioChunk> {
    for (const [index, word] of text.split(/\s+/).filter(Boolean).entries()) {
      const samples = Int16Array.from({ length: (RATE * WORD_MS) / 1000 }, (_, i) => Math.round(6_000 * Math.sin(i / 4)));
      yield { samples, sampleRate: RATE, words: [{ word, startMs: index * WORD_MS, endMs: (index + 1) * WORD_MS }] };
    }
  },
};

const silentVad: Vad = { label: 'none', createStream: () => ({ windowSamples: 512, push: async () => [], close: () => undefined }) };
const noStt: Stt = {
  label: 'none',
  open: async (): Promise<SttStream> => {
    const events = new AsyncQueue<SttEvent>();
    return { push: () => undefined, events, close: async () => events.end() };
  },
};

/**
 * A session whose far end plays frames as they arrive, 60 ms late, and echoes marks when
 * it reaches them; `clear` drops what it has not played and, as Twilio does with
 * `echoOnClear`, echoes every mark still pending.
 */
function farEndSession(options: { echoOnClear?: boolean; delayMs?: number } = {}) {
  const played: number[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const pendingMarks = new Map<NodeJS.Timeout, string>();
  let cleared = false;
  const later = (fn: () => void, mark?: string) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      pendingMarks.delete(timer);
      fn();
    }, options.delayMs ?? FAR_END_DELAY_MS);
    timers.add(timer);
    if (mark) pendingMarks.set(timer, mark);
  };
  const session: AudioCallSession = new AudioCallSession({
    callId: 'call-heard',
    sink: {
      sampleRate: RATE,
      sendFrame: () => later(() => played.push(Date.now())),
      sendMark: (name) => later(() => session.markPlayed(name), name),
      clear: () => {
        cleared = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        const echoed = [...pendingMarks.values()];
        pendingMarks.clear();
        if (options.echoOnClear) for (const name of echoed) session.markPlayed(name);
      },
      close: () => undefined,
    },
    pacer: new OutboundPacer(),
    vad: silentVad,
    vadSettings: { activation: 0.5, minSpeechMs: 200, minSilenceMs: 600 },
    stt: [noStt],
    tts: [wordVoice],
    phrases: new PhraseCache(),
    log: { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined } as never,
    onTurn: () => undefined,
  });
  return { session, played, wasCleared: () => cleared };
}

const SENTENCE_1 = 'We have tables at six this evening.';
const SENTENCE_2 = 'We also have one at seven and another at eight thirty.';
const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('heard text after a barge-in (a session, a voice with word timings, marks from the far end)', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it.each([
    ['midway through the first sentence', 700, false],
    ['midway through the second sentence', 2_300, false],
    // The interruption policy first pauses (the carrier clears, echoing its marks), then the words cancel.
    ['paused by sound, then cancelled by words, the carrier echoing its marks on clear', 1_900, true],
  ])('keeps exactly the words played before the cut, within one word: %s', async (_name, cutAfterMs, pauseFirst) => {
    // A far end that buffers more (400 ms) makes the marks echoed on clear run well ahead of what played.
    const { session, played, wasCleared } = farEndSession(pauseFirst ? { echoOnClear: true, delayMs: 400 } : {});
    close = () => session.close('hangup-agent');
    await session.start();
    const reply = session.startReply('turn-1');
    reply.write(`${SENTENCE_1} ${SENTENCE_2}`);
    const outcome = reply.end();
    while (played.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, cutAfterMs - 20));
    if (pauseFirst) {
      (reply as AudioPlayback).pause();
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    session.interrupt();
    const { heardText, interrupted } = await outcome;
    expect(wasCleared()).toBe(true);
    expect(interrupted).toBe(true);

    // What the far end played before the clear: frames of 20 ms; a word is heard once half of it played.
    const playedMs = played.length * 20;
    const all = words(`${SENTENCE_1} ${SENTENCE_2}`);
    const expected = all.filter((_, index) => playedMs >= index * WORD_MS + WORD_MS / 2).length;
    const heard = words(heardText);
    expect(`${SENTENCE_1} ${SENTENCE_2}`.startsWith(heardText)).toBe(true);
    expect(Math.abs(heard.length - expected)).toBeLessThanOrEqual(1);
    expect(heard.length).toBeGreaterThan(0);
  });

  it('a reply played to its end keeps its whole text', async () => {
    const { session } = farEndSession();
    close = () => session.close('hangup-agent');
    await session.start();
    const reply = session.startReply('turn-2');
    reply.write('Yes. We do.');
    expect(await reply.end()).toMatchObject({ heardText: 'Yes. We do.', interrupted: false });
  });

  it('a cached phrase carries its word timings', async () => {
    const { session, played } = farEndSession();
    close = () => session.close('hangup-agent');
    await session.start();
    const reply = session.startReply('turn-3');
    reply.phrase('Sorry, something went wrong on our side, please call back later.');
    const outcome = reply.end();
    while (played.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 900));
    session.interrupt();
    const heard = words((await outcome).heardText);
    const expected = Math.floor((played.length * 20 + WORD_MS / 2) / WORD_MS);
    expect(Math.abs(heard.length - expected)).toBeLessThanOrEqual(1);
  });
});
