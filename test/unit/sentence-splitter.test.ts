import { describe, expect, it } from '@jest/globals';
import { SentenceSplitter } from '../../media-gateway/session/sentence-splitter.js';

function split(pieces: string[]): string[] {
  const splitter = new SentenceSplitter();
  return [...pieces.flatMap((piece) => splitter.push(piece)), ...splitter.flush()];
}

describe('SentenceSplitter', () => {
  it('emits a sentence as soon as it ends, before the stream does', () => {
    const splitter = new SentenceSplitter();
    expect(splitter.push('Hello there, how')).toEqual([]);
    expect(splitter.push(' are you today? I am')).toEqual(['Hello there, how are you today?']);
    expect(splitter.flush()).toEqual(['I am']);
  });

  it('keeps abbreviations and decimals inside their sentence', () => {
    expect(split(['Dr. Smith ', 'charges 3.5 dollars. ', 'See you soon!'])).toEqual(['Dr. Smith charges 3.5 dollars.', 'See you soon!']);
  });

  it('splits on newlines and handles tokens that carry the boundary', () => {
    expect(split(['First line is long enough', '\n', 'Second one?', ' Yes'])).toEqual(['First line is long enough', 'Second one? Yes']);
  });

  it('lets a long first sentence start at its first clause, and keeps whole sentences after it', () => {
    expect(split(['We are open Tuesday', ' to Sunday, from noon', ' to ten, every week. Book', ' online, or call us.'])).toEqual([
      'We are open Tuesday to Sunday,',
      'from noon to ten, every week.',
      'Book online, or call us.',
    ]);
    expect(split(['Sure, I can help.'])).toEqual(['Sure, I can help.']);
    expect(split(['Your table for two is booked — see you at eight.'])).toEqual(['Your table for two is booked —', 'see you at eight.']);
  });

  it('returns nothing for an empty stream', () => {
    expect(split([])).toEqual([]);
    expect(split(['  '])).toEqual([]);
  });
});
