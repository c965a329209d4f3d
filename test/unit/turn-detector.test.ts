import { describe, expect, it } from '@jest/globals';
import { TurnDetector, type TurnEvent } from '../../media-gateway/session/turn-detector.js';

const settings = { activation: 0.5, minSpeechMs: 96, minSilenceMs: 320 };

/** Feeds a pattern of windows (1 = speech, 0 = silence), 32 ms each, starting at t=0. */
function feed(detector: TurnDetector, pattern: string, start = 0): { events: TurnEvent[]; end: number } {
  const events: TurnEvent[] = [];
  let at = start;
  for (const c of pattern) {
    at += 32;
    events.push(...detector.onVad(c === '1' ? 0.9 : 0.05, at));
  }
  return { events, end: at };
}

describe('TurnDetector', () => {
  it('ends a turn after enough silence once STT has the words', () => {
    const detector = new TurnDetector(settings);
    const speech = feed(detector, '0001111111111');
    expect(speech.events).toEqual([{ type: 'speech-started', at: 96 }]);
    expect(detector.onStt({ type: 'final', text: 'book a table', at: speech.end + 5, speechFinal: true })).toEqual([]);
    const silence = feed(detector, '0000000000', speech.end);
    expect(silence.events).toEqual([{ type: 'turn-ended', text: 'book a table', speechEndedAt: speech.end, sttFinalAt: speech.end + 5 }]);
  });

  it('waits for STT when the silence comes first', () => {
    const detector = new TurnDetector(settings);
    const speech = feed(detector, '1111111');
    const silence = feed(detector, '000000000000', speech.end);
    expect(silence.events).toEqual([]);
    expect(detector.onStt({ type: 'final', text: 'hello', at: silence.end, speechFinal: true })).toEqual([
      { type: 'turn-ended', text: 'hello', speechEndedAt: speech.end, sttFinalAt: silence.end },
    ]);
  });

  it('ignores blips shorter than minSpeechMs', () => {
    const detector = new TurnDetector(settings);
    expect(feed(detector, '0011000110000').events).toEqual([]);
    expect(detector.isSpeaking).toBe(false);
  });

  it('keeps one turn across a pause shorter than minSilenceMs, joining its finals', () => {
    const detector = new TurnDetector(settings);
    let at = feed(detector, '11111').end;
    detector.onStt({ type: 'final', text: 'for two', at, speechFinal: false });
    at = feed(detector, '000011111', at).end;
    detector.onStt({ type: 'final', text: 'people', at, speechFinal: true });
    const { events } = feed(detector, '0000000000000', at);
    expect(events).toEqual([expect.objectContaining({ type: 'turn-ended', text: 'for two people', speechEndedAt: at })]);
  });

  it('drops speech that never produced words', () => {
    const detector = new TurnDetector(settings);
    const speech = feed(detector, '11111');
    feed(detector, '0'.repeat(100), speech.end);
    expect(detector.onStt({ type: 'final', text: 'late words', at: speech.end + 4_000, speechFinal: true })).toEqual([]);
  });
});
