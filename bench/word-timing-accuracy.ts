/**
 * How close the word timings of the local voices' estimate come to espeak-ng's own word
 * events (libespeak-ng, read through ctypes by bench/espeak-word-events.py: the same engine
 * and settings as the CLI the gateway runs, same sample count). Per word start: mean, p95
 * and max error in ms; and at cut points every 50 ms through each sentence, how often the
 * words counted as heard by the estimate differ from the reference by 0, 1, 2+ words.
 *
 *   npm run bench:word-timing -- --wpm 175
 *
 * Prints numbers; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { EspeakTts } from '../providers/tts/espeak-tts.js';
import type { WordTiming } from '../providers/tts/tts.js';
import { textWords } from '../providers/tts/word-timing-estimate.js';

const { values } = parseArgs({ options: { wpm: { type: 'string', default: '175' }, voice: { type: 'string', default: 'en-us' } } });
const WPM = Number(values.wpm);

const SENTENCES = [
  'Hello, thanks for calling the dental clinic.',
  'How can I help you today?',
  'I can book you in for Tuesday at three in the afternoon.',
  'Could you tell me your date of birth, please?',
  'Your order has been shipped and should arrive on Friday.',
  'I am sorry, I did not quite catch that.',
  'The total comes to forty two dollars and fifty cents.',
  'We have tables at six. We also have tables at seven.',
  'Finally there is a late one at nine thirty.',
  'Please hold on while I check the calendar for next week.',
  'Your reference number is 4 7 1 9, and the booking is confirmed.',
  'Is there anything else I can help you with?',
];

interface Reference {
  text: string;
  sampleRate: number;
  samples: number;
  words: { startMs: number; textPosition: number }[];
}

const references = execFileSync('python3', ['bench/espeak-word-events.py', values.voice!, String(WPM), ...SENTENCES], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Reference);

/** Reference word starts by token index (espeak-ng merges some short words into the next: those have none). */
function referenceStarts(reference: Reference): (number | undefined)[] {
  const tokens: { at: number }[] = [];
  const pattern = /\S+/g;
  for (let match = pattern.exec(reference.text); match; match = pattern.exec(reference.text)) tokens.push({ at: match.index });
  return tokens.map((token, index) => {
    const end = tokens[index + 1]?.at ?? Infinity;
    return reference.words.find((word) => word.textPosition >= token.at && word.textPosition < end)?.startMs;
  });
}

/** Words heard at a cut: those whose start was played (the reference knows starts only). */
const heardByStart = (starts: number[], cut: number) => starts.filter((start) => start <= cut).length;

const errors: number[] = [];
const cutDiffs = [0, 0, 0];
const tts = new EspeakTts({ provider: 'espeak', voice: values.voice!, wordsPerMinute: WPM });
for (const [index, text] of SENTENCES.entries()) {
  const reference = references[index]!;
  let words: WordTiming[] = [];
  let samples = 0;
  for await (const chunk of tts.synthesize(text)) {
    samples += chunk.samples.length;
    if (chunk.words) words = chunk.words;
  }
  if (samples !== reference.samples) console.log(`  (sample count differs: CLI ${samples}, library ${reference.samples})`);
  const truth = referenceStarts(reference);
  const line: string[] = [];
  textWords(text).forEach((word, i) => {
    const want = truth[i];
    const got = words[i]?.startMs;
    if (want === undefined || got === undefined) return;
    errors.push(Math.abs(got - want));
    line.push(`${word} ${got - want > 0 ? '+' : ''}${got - want}`);
  });
  console.log(`${text}\n  ${line.join(', ')}`);
  // Cut points: the reference's starts, with merged words given their estimated start.
  const truthStarts = truth.map((start, i) => start ?? words[i]?.startMs ?? 0);
  const estimated = words.map((word) => word.startMs);
  const durationMs = (samples * 1000) / reference.sampleRate;
  for (let cut = 0; cut < durationMs; cut += 50) {
    const diff = Math.abs(heardByStart(estimated, cut) - heardByStart(truthStarts, cut));
    cutDiffs[Math.min(diff, 2)]!++;
  }
}

errors.sort((a, b) => a - b);
const cuts = cutDiffs.reduce((a, b) => a + b, 0);
console.log(`\nespeak-ng ${values.voice} at ${WPM} wpm, ${errors.length} word starts over ${SENTENCES.length} sentences`);
console.log(`word start error: mean ${Math.round(errors.reduce((a, b) => a + b, 0) / errors.length)} ms, p50 ${errors[Math.floor(errors.length / 2)]} ms, p95 ${errors[Math.floor(errors.length * 0.95)]} ms, max ${errors.at(-1)} ms`);
console.log(`words heard at ${cuts} cuts (every 50 ms): exact ${((100 * cutDiffs[0]!) / cuts).toFixed(1)}%, off by one ${((100 * cutDiffs[1]!) / cuts).toFixed(1)}%, off by more ${((100 * cutDiffs[2]!) / cuts).toFixed(1)}%`);
