import { describe, expect, it } from '@jest/globals';
import { normaliseEnglish, wordErrors } from '../../bench/speech/english-normaliser.js';

const same = (a: string, b: string) => expect(normaliseEnglish(a)).toEqual(normaliseEnglish(b));

describe('the speech bench English normaliser', () => {
  it('does not count formatting as recognition errors', () => {
    same("The meeting is at 10 o'clock.", 'the meeting is at ten o clock');
    same('7:30 p.m.', 'seven thirty PM');
    same('Tuesday the 5th of March', 'Tuesday the fifth of March');
    same('My account number is 471923', 'my account number is 4 7 1 9 2 3');
    same('born in 1985', 'born in nineteen eighty-five');
    same('Dr. Patel', 'doctor Patel');
    same('one hundred and twenty', '120');
    same('the 21st', 'the twenty first');
  });

  it('still counts different words', () => {
    expect(wordErrors(normaliseEnglish('book a table'), normaliseEnglish('work a table'))).toBe(1);
    expect(wordErrors(normaliseEnglish('at seven'), normaliseEnglish('at 8'))).toBe(1);
    expect(wordErrors(normaliseEnglish('please call me back'), normaliseEnglish('please call'))).toBe(2);
  });
});
