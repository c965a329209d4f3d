/**
 * False barge-ins on backchannels and noise, old rule against the interruption policy.
 * The policy is pure (media-gateway/session/interruption-policy.ts): this drives it
 * with the events the barge-in stage gets while a reply plays — VAD windows every
 * 32 ms, STT transcripts at their times — for scripted caller moments:
 *   backchannels (each of the default list, 250–600 ms of speech, final 150–400 ms after);
 *   noise bursts (a cough, a door: 200–900 ms of VAD speech, no words);
 *   real barge-ins ("wait", "no that's wrong", "can I ask something", ...).
 * bench/turn-taking can use `judge()` the same way on its own events.
 *
 *   node --import tsx bench/interruptions.ts
 *
 * Prints numbers; asserts nothing.
 */
import { DEFAULT_BACKCHANNELS, interruptionSettingsSchema, type InterruptionSettings } from '../domain/interruption-settings.js';
import { InterruptionPolicy, type InterruptionDecision } from '../media-gateway/session/interruption-policy.js';

interface Moment {
  kind: 'backchannel' | 'noise' | 'barge-in';
  speechMs: number;
  /** The final transcript, this long after speech ends; none for noise. */
  words?: { text: string; afterMs: number };
}

let seed = 7;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed / 2 ** 31);
const between = (a: number, b: number) => Math.round(a + random() * (b - a));

const REAL = ['wait', 'no that is wrong', 'can I ask something', 'stop', 'actually make it Thursday', 'hold on a second', 'sorry what was that', 'I already did that'];
const moments: Moment[] = [
  ...DEFAULT_BACKCHANNELS.flatMap((text) => [0, 1, 2].map(() => ({ kind: 'backchannel' as const, speechMs: between(250, 600), words: { text, afterMs: between(150, 400) } }))),
  ...Array.from({ length: 40 }, () => ({ kind: 'noise' as const, speechMs: between(200, 900) })),
  ...REAL.flatMap((text) => [0, 1, 2].map(() => ({ kind: 'barge-in' as const, speechMs: between(300, 1_200), words: { text, afterMs: between(150, 400) } }))),
];

/** One moment over a reply: what the policy decided, in order. */
export function judge(settings: InterruptionSettings, moment: Moment): InterruptionDecision[] {
  const policy = new InterruptionPolicy(settings, 0.5);
  const decisions: InterruptionDecision[] = [];
  // VAD's speech-started comes after its own minSpeechMs (200 ms) of speech.
  let at = 200;
  decisions.push(...policy.onSpeechStarted(at, true));
  const speechEnd = at + moment.speechMs - 200;
  const finalAt = moment.words ? speechEnd + moment.words.afterMs : Infinity;
  let sentFinal = false;
  for (; at < speechEnd + 3_000 && !decisions.some((d) => d.kind !== 'paused'); at += 32) {
    decisions.push(...policy.onVad(at < speechEnd ? 0.9 : 0.05, at));
    if (!sentFinal && at >= finalAt) {
      sentFinal = true;
      decisions.push(...policy.onTranscript({ type: 'final', text: moment.words!.text, at, speechFinal: true }));
    }
  }
  return decisions;
}

const policies: [string, InterruptionSettings][] = [
  ['old: any 200 ms of speech', interruptionSettingsSchema.parse({ minWords: 0, minSpeechMs: 0 })],
  ['sound only, 500 ms', interruptionSettingsSchema.parse({ minWords: 0, minSpeechMs: 500 })],
  ['new default (1 word, backchannels)', interruptionSettingsSchema.parse({})],
  ['2 words', interruptionSettingsSchema.parse({ minWords: 2 })],
];
const count = (kind: Moment['kind']) => moments.filter((m) => m.kind === kind).length;
console.log(`moments over a reply: ${count('backchannel')} backchannels, ${count('noise')} noise bursts, ${count('barge-in')} real barge-ins`);
console.log('policy                               cancelled on backchannel  on noise  real barge-ins caught  cancel decided p50 (ms from speech start; audio already paused at 200)');
for (const [name, settings] of policies) {
  const cancelled = (kind: Moment['kind']) => moments.filter((m) => m.kind === kind && judge(settings, m).some((d) => d.kind === 'barge-in')).length;
  const delays = moments
    .filter((m) => m.kind === 'barge-in')
    .map((m) => judge(settings, m).find((d) => d.kind === 'barge-in')?.at)
    .filter((at): at is number => at !== undefined)
    .sort((a, b) => a - b);
  const p50 = delays[Math.floor(delays.length / 2)];
  console.log(
    `${name.padEnd(36)} ${`${cancelled('backchannel')}/${count('backchannel')}`.padStart(24)}  ${`${cancelled('noise')}/${count('noise')}`.padStart(8)}  ${`${cancelled('barge-in')}/${count('barge-in')}`.padStart(21)}  ${p50 === undefined ? '-' : String(p50)}`,
  );
}
