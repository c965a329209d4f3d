import { describe, expect, it } from '@jest/globals';
import { heardText, wordPrefix, wordsHeard, type SpokenSentence } from '../../media-gateway/session/heard-words.js';
import { PlaybackPosition, POSITION_MARK_MS } from '../../media-gateway/session/playback-position.js';
import { estimateWordTimings } from '../../providers/tts/word-timing-estimate.js';

/** Words of 200 ms each, back to back. */
function sentence(text: string, startMs: number, complete = true): SpokenSentence {
  const words = text.split(' ').map((word, i) => ({ word, startMs: i * 200, endMs: (i + 1) * 200 }));
  return { text, startMs, endMs: startMs + words.length * 200, complete, words };
}

describe('heard words', () => {
  const reply = [sentence('We have tables at six.', 0), sentence('We also have tables at seven.', 1_000)];

  it('keeps whole sentences played to their end, then the words of the cut one played for the most part', () => {
    expect(heardText(reply, 0)).toBe('');
    expect(heardText(reply, 99)).toBe('');
    expect(heardText(reply, 100)).toBe('We');
    expect(heardText(reply, 450)).toBe('We have');
    expect(heardText(reply, 999)).toBe('We have tables at six.');
    expect(heardText(reply, 1_000)).toBe('We have tables at six.');
    expect(heardText(reply, 1_350)).toBe('We have tables at six. We also');
    expect(heardText(reply, 5_000)).toBe('We have tables at six. We also have tables at seven.');
  });

  it('a sentence the voice could not finish stops the heard text at what of it played', () => {
    const failed = { ...sentence('We have tables at six.', 0, false), endMs: 450 };
    expect(heardText([failed, sentence('Bye.', 450)], 2_000)).toBe('We have');
  });

  it('a sentence still being synthesised counts its words known so far', () => {
    const streaming: SpokenSentence = { text: 'One two three four', startMs: 0, complete: false, words: [{ word: 'One', startMs: 0 }, { word: 'two', startMs: 300 }] };
    expect(wordsHeard(streaming, 200)).toBe(1);
    // The last known word has no end: it is given a default length.
    expect(wordsHeard(streaming, 400)).toBe(1);
    expect(wordsHeard(streaming, 460)).toBe(2);
  });

  it('a voice with no timings shares the sentence by letters', () => {
    const bare: SpokenSentence = { text: 'aaaa bbbb', startMs: 0, endMs: 800, complete: true, words: [] };
    expect(wordsHeard(bare, 190)).toBe(0);
    expect(wordsHeard(bare, 210)).toBe(1);
    expect(wordsHeard(bare, 610)).toBe(2);
  });

  it('cuts the text after a word, as written', () => {
    expect(wordPrefix('Hello,  there friend.', 2)).toBe('Hello,  there');
    expect(wordPrefix('Hi.', 5)).toBe('Hi.');
  });
});

describe('playback position', () => {
  it('follows the echoed marks, carried forward in real time up to the next mark and what was sent', () => {
    const position = new PlaybackPosition();
    expect(position.at(0)).toBe(0);
    for (let ms = 20; ms <= 400; ms += 20) position.sent(ms, 1_000 + ms - 20);
    // Nothing echoed yet: from the first frame sent, in real time.
    expect(position.at(1_050)).toBe(50);
    expect(position.at(1_300)).toBe(POSITION_MARK_MS);
    position.played(100, 1_150);
    expect(position.at(1_150)).toBe(100);
    expect(position.at(1_190)).toBe(140);
    expect(position.at(1_500)).toBe(200);
    // A late or repeated mark does not move it back.
    position.played(100, 1_400);
    expect(position.at(1_190)).toBe(140);
    position.played(400, 1_600);
    expect(position.at(2_000)).toBe(400);
  });
});

describe('word timing estimate', () => {
  it('puts the words of clauses into the voiced stretches between pauses', () => {
    const rate = 8_000;
    const tone = (ms: number) => Int16Array.from({ length: (rate * ms) / 1000 }, (_, i) => Math.round(8_000 * Math.sin(i / 3)));
    const quiet = (ms: number) => new Int16Array((rate * ms) / 1000);
    // "Hello," 400 ms, a 200 ms pause, then "ninety four." 300 + 300 ms with a 100 ms gap (a last word is said slower: 4 letters weigh 6).
    const parts = [tone(400), quiet(200), tone(300), quiet(100), tone(300), quiet(300)];
    const samples = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const part of parts) samples.set(part, (offset += part.length) - part.length);
    const words = estimateWordTimings('Hello, ninety four.', samples, rate);
    expect(words.map((w) => w.word)).toEqual(['Hello,', 'ninety', 'four.']);
    expect(words[0]!.startMs).toBe(0);
    expect(Math.abs(words[1]!.startMs - 600)).toBeLessThanOrEqual(10);
    expect(Math.abs(words[2]!.startMs - 1_000)).toBeLessThanOrEqual(10);
    expect(Math.abs(words[2]!.endMs! - 1_300)).toBeLessThanOrEqual(10);
  });
});
