import { describe, expect, it } from '@jest/globals';
import { interruptionSettingsSchema } from '../../domain/interruption-settings.js';
import { Backchannels } from '../../media-gateway/session/backchannels.js';
import { InterruptionPolicy, type InterruptionDecision } from '../../media-gateway/session/interruption-policy.js';

const WINDOW = 32;

/** Drives the policy as the barge-in stage does: VAD windows every 32 ms, transcripts at their times. */
function harness(overrides: Partial<ReturnType<typeof interruptionSettingsSchema.parse>> = {}) {
  const policy = new InterruptionPolicy(interruptionSettingsSchema.parse(overrides), 0.5);
  const decisions: InterruptionDecision[] = [];
  let now = 0;
  const windows = (ms: number, probability: number) => {
    for (let t = 0; t < ms; t += WINDOW) decisions.push(...policy.onVad(probability, (now += WINDOW)));
  };
  return {
    policy,
    decisions,
    kinds: () => decisions.map((d) => d.kind),
    speechStarted: (replyActive = true) => decisions.push(...policy.onSpeechStarted(now, replyActive)),
    speech: (ms: number) => windows(ms, 0.9),
    quiet: (ms: number) => windows(ms, 0.05),
    partial: (text: string) => decisions.push(...policy.onTranscript({ type: 'partial', text, at: now })),
    final: (text: string) => decisions.push(...policy.onTranscript({ type: 'final', text, at: now, speechFinal: true })),
    turnEnded: (text: string, replyActive = true) => {
      const { pass, decisions: made } = policy.onTurnEnded(text, now, replyActive);
      decisions.push(...made);
      return pass;
    },
  };
}

describe('backchannels', () => {
  const list = new Backchannels(interruptionSettingsSchema.parse({}).backchannels);

  it('counts the words that are not backchannels, however the recogniser spells them', () => {
    expect(list.otherWords('Uh-huh.')).toBe(0);
    expect(list.otherWords('uhhuh')).toBe(0);
    expect(list.otherWords('yeah, okay, got it')).toBe(0);
    expect(list.otherWords('mm hmm right')).toBe(0);
    expect(list.otherWords('yeah but what about Tuesday')).toBe(4);
    expect(list.otherWords('stop')).toBe(1);
    expect(list.otherWords('')).toBe(0);
  });

  it('does not count the start of a backchannel in a partial transcript', () => {
    expect(list.otherWords('uh', true)).toBe(0);
    expect(list.otherWords('uh', false)).toBe(1);
    expect(list.otherWords('got', true)).toBe(0);
    expect(list.otherWords('wait', true)).toBe(1);
  });
});

describe('interruption policy', () => {
  it('pauses on sound and cancels on the first real word', () => {
    const h = harness();
    h.speechStarted();
    expect(h.kinds()).toEqual(['paused']);
    h.speech(300);
    h.partial('wait');
    expect(h.decisions.at(-1)).toMatchObject({ kind: 'barge-in', words: 'wait' });
    expect(h.policy.paused).toBe(false);
  });

  it('resumes on a backchannel and drops the turn it makes', () => {
    const h = harness();
    h.speechStarted();
    h.speech(300);
    h.partial('uh');
    expect(h.kinds()).toEqual(['paused']);
    h.quiet(200);
    h.final('uh-huh');
    expect(h.decisions.at(-1)).toMatchObject({ kind: 'resumed-backchannel', words: 'uh-huh' });
    h.quiet(600);
    expect(h.turnEnded('uh-huh')).toBe(false);
    expect(h.kinds()).toEqual(['paused', 'resumed-backchannel']);
  });

  it('resumes after a second of quiet when the sound had no words (a cough, a door)', () => {
    const h = harness();
    h.speechStarted();
    h.speech(250);
    h.quiet(900);
    expect(h.kinds()).toEqual(['paused']);
    h.quiet(200);
    expect(h.kinds()).toEqual(['paused', 'resumed-false']);
  });

  it('resumes from wordless sound that does not stop (a television)', () => {
    const h = harness();
    h.speechStarted();
    h.speech(3_000);
    expect(h.kinds()).toEqual(['paused', 'resumed-false']);
  });

  it('cancels when the caller goes on past the backchannel', () => {
    const h = harness();
    h.speechStarted();
    h.speech(300);
    h.final('yeah');
    expect(h.kinds()).toEqual(['paused', 'resumed-backchannel']);
    h.speech(300);
    h.partial('but what about');
    expect(h.decisions.at(-1)).toMatchObject({ kind: 'barge-in', words: 'yeah but what about' });
    expect(h.turnEnded('yeah but what about Tuesday')).toBe(true);
  });

  it('with minWords 2 waits for the second word, and one word cancels once the caller is quiet', () => {
    const h = harness({ minWords: 2 });
    h.speechStarted();
    h.speech(300);
    h.final('stop');
    expect(h.kinds()).toEqual(['paused']);
    h.quiet(1_100);
    expect(h.decisions.at(-1)).toMatchObject({ kind: 'barge-in', words: 'stop' });
  });

  it('with minSpeechMs waits for that much speech before words cancel', () => {
    const h = harness({ minSpeechMs: 500 });
    h.speechStarted();
    h.speech(200);
    h.partial('hold on');
    expect(h.kinds()).toEqual(['paused']);
    h.speech(320);
    expect(h.decisions.at(-1)).toMatchObject({ kind: 'barge-in', words: 'hold on' });
  });

  it('minWords 0 and minSpeechMs 0 is the old rule: any sound cancels at once', () => {
    const h = harness({ minWords: 0, minSpeechMs: 0 });
    h.speechStarted();
    expect(h.kinds()).toEqual(['barge-in']);
  });

  it('resume off: wordless sound cancels the reply', () => {
    const h = harness({ resume: false });
    h.speechStarted();
    h.speech(250);
    h.quiet(1_100);
    expect(h.kinds()).toEqual(['paused', 'barge-in']);
  });

  it('leaves the caller alone when the agent is silent: a backchannel then is a turn', () => {
    const h = harness();
    h.speechStarted(false);
    h.speech(300);
    h.final('okay');
    h.quiet(700);
    expect(h.turnEnded('okay', false)).toBe(true);
    expect(h.kinds()).toEqual([]);
  });

  it('a turn with words that arrived only after a false interruption still cancels (and says so)', () => {
    const h = harness();
    h.speechStarted();
    h.speech(250);
    h.quiet(1_100);
    expect(h.kinds()).toEqual(['paused', 'resumed-false']);
    expect(h.turnEnded('what was that', true)).toBe(true);
    expect(h.decisions.at(-1)).toMatchObject({ kind: 'barge-in', words: 'what was that' });
  });
});
