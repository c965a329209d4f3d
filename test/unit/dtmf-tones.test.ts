import { describe, expect, it } from '@jest/globals';
import { DTMF_GAP_MS, DTMF_TONE_MS, DTMF_WAIT_MS, dtmfTones } from '../../media-gateway/audio/dtmf-tones.js';

/** Signal power at one frequency (Goertzel), as a DTMF receiver measures it. */
function power(samples: Int16Array, frequency: number, sampleRate: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let previous = 0;
  let beforePrevious = 0;
  for (const sample of samples) {
    const current = sample / 32_768 + coefficient * previous - beforePrevious;
    beforePrevious = previous;
    previous = current;
  }
  return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
}

const ALL = [697, 770, 852, 941, 1209, 1336, 1477, 1633];

/** The two strongest DTMF frequencies in a slice, the way a receiver decodes a key. */
function decode(samples: Int16Array, sampleRate: number): number[] {
  return ALL.map((frequency) => ({ frequency, power: power(samples, frequency, sampleRate) }))
    .sort((a, b) => b.power - a.power)
    .slice(0, 2)
    .map((entry) => entry.frequency)
    .sort((a, b) => a - b);
}

describe('DTMF tones', () => {
  it.each([8_000, 16_000])('at %i Hz, each key is its row and column pair, then a gap', (sampleRate) => {
    const keys = '159#*0D';
    const tones = dtmfTones(keys, sampleRate);
    const tone = (sampleRate * DTMF_TONE_MS) / 1000;
    const step = tone + (sampleRate * DTMF_GAP_MS) / 1000;
    expect(tones.length).toBe(keys.length * step);
    const expected: Record<string, number[]> = { '1': [697, 1209], '5': [770, 1336], '9': [852, 1477], '#': [941, 1477], '*': [941, 1209], '0': [941, 1336], D: [941, 1633] };
    [...keys].forEach((key, index) => {
      expect(decode(tones.subarray(index * step, index * step + tone), sampleRate)).toEqual(expected[key]);
      expect(tones.subarray(index * step + tone, (index + 1) * step).every((sample) => sample === 0)).toBe(true);
    });
  });

  it('stays within 16 bits and makes w a half-second pause', () => {
    const tones = dtmfTones('1w2', 8_000);
    expect(tones.length).toBe(2 * 8 * (DTMF_TONE_MS + DTMF_GAP_MS) + 8 * DTMF_WAIT_MS);
    expect(Math.max(...tones.map(Math.abs))).toBeLessThanOrEqual(16_383);
    expect(() => dtmfTones('x', 8_000)).toThrow('not a keypad key');
  });
});
