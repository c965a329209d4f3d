import { afterEach, describe, expect, it } from '@jest/globals';
import { OutboundPacer } from '../../media-gateway/audio/outbound-pacer.js';
import { AudioCallSession } from '../../media-gateway/session/audio-call-session.js';
import type { InterruptionDecision } from '../../media-gateway/session/interruption-policy.js';
import { PhraseCache } from '../../media-gateway/session/phrase-cache.js';
import type { CallerTurn } from '../../media-gateway/session/turn-detector.js';
import { AsyncQueue } from '../../platform/async-queue.js';
import type { Stt, SttEvent } from '../../providers/stt/stt.js';
import type { AudioChunk, Tts } from '../../providers/tts/tts.js';
import type { Vad } from '../../providers/vad/vad.js';

const FRAME = 320; // 20 ms at 16 kHz
const REPLY = 'This is the first one. Here is the second. And this is the third.';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A VAD by energy: loud windows are speech. Deterministic, which Silero on synthetic sound is not. */
const energyVad: Vad = {
  label: 'energy',
  createStream: () => {
    let buffered = new Int16Array(0);
    return {
      windowSamples: 512,
      push: async (samples) => {
        const joined = new Int16Array(buffered.length + samples.length);
        joined.set(buffered);
        joined.set(samples, buffered.length);
        const scores: number[] = [];
        let offset = 0;
        for (; offset + 512 <= joined.length; offset += 512) {
          let energy = 0;
          for (let i = offset; i < offset + 512; i++) energy += joined[i]! * joined[i]!;
          scores.push(Math.sqrt(energy / 512) > 1_000 ? 0.95 : 0.02);
        }
        buffered = joined.slice(offset);
        return scores;
      },
      close: () => undefined,
    };
  },
};

/** A recogniser the test speaks for: it says what the caller's words were, when. */
class ScriptedStt implements Stt {
  readonly label = 'scripted';
  private events?: AsyncQueue<SttEvent>;
  async open() {
    const events = new AsyncQueue<SttEvent>();
    this.events = events;
    return { push: () => undefined, events, close: async () => events.end() };
  }
  final(text: string): void {
    this.events!.push({ type: 'final', text, at: Date.now(), speechFinal: true });
  }
}

/** Each sentence is 600 ms of tone at 8 kHz: a reply of three plays for 1.8 s. */
const toneTts: Tts = {
  label: 'tone',
  async *synthesize(): AsyncIterable<AudioChunk> {
    const samples = new Int16Array(4_800);
    for (let i = 0; i < samples.length; i++) samples[i] = Math.round(3_000 * Math.sin((2 * Math.PI * 440 * i) / 8_000));
    yield { samples, sampleRate: 8_000 };
  },
};

function callWithReply() {
  const stt = new ScriptedStt();
  const frames: number[] = [];
  const clears: number[] = [];
  const decisions: (InterruptionDecision & { seen: number })[] = [];
  const turns: CallerTurn[] = [];
  const session: AudioCallSession = new AudioCallSession({
    callId: 'call-interruptions',
    sink: { sampleRate: 8_000, sendFrame: () => frames.push(Date.now()), sendMark: (name) => session.markPlayed(name), clear: () => clears.push(Date.now()), close: () => undefined },
    pacer: new OutboundPacer(),
    vad: energyVad,
    vadSettings: { activation: 0.5, minSpeechMs: 150, minSilenceMs: 400 },
    stt: [stt],
    tts: [toneTts],
    phrases: new PhraseCache(),
    log: { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined } as never,
    onInterruption: (decision) => decisions.push({ ...decision, seen: Date.now() }),
    onTurn: (turn) => turns.push(turn),
  });
  /** The caller's microphone in real time: `loud` ms of sound, then `quiet` ms of near silence. */
  const caller = async (loud: number, quiet: number) => {
    for (let t = 0; t < loud + quiet; t += 20) {
      const frame = new Int16Array(FRAME);
      const amplitude = t < loud ? 4_000 : 30;
      for (let i = 0; i < FRAME; i++) frame[i] = Math.round(amplitude * Math.sin(i / 3));
      session.receive(frame);
      await sleep(20);
    }
  };
  return { session, stt, frames, clears, decisions, turns, caller };
}

let open: AudioCallSession | undefined;
afterEach(() => open?.close('hangup-agent'));

describe('audio call session: the caller speaking over a reply', () => {
  it('a backchannel during a reply does not stop it: the reply plays to the end and no turn is handed over', async () => {
    const call = callWithReply();
    open = call.session;
    await call.session.start();
    const reply = call.session.startReply('t1');
    reply.write(REPLY);
    const ended = reply.end();
    await sleep(300);
    await call.caller(300, 0);
    expect(call.decisions.map((d) => d.kind)).toEqual(['paused']);
    call.stt.final('uh-huh');
    await call.caller(0, 700);
    const outcome = await ended;
    expect(outcome).toMatchObject({ interrupted: false, heardText: REPLY });
    expect(outcome.interruptions?.map((d) => d.kind)).toEqual(['paused', 'resumed-backchannel']);
    // Every frame of the three sentences went out: 1.8 s in 20 ms frames.
    expect(call.frames.length).toBe(90);
    expect(call.turns).toEqual([]);
  });

  it('a noise burst (sound, no words) pauses the reply, which resumes where it paused and completes', async () => {
    const call = callWithReply();
    open = call.session;
    await call.session.start();
    const reply = call.session.startReply('t2');
    reply.write(REPLY);
    const ended = reply.end();
    await sleep(300);
    await call.caller(250, 0);
    await call.caller(0, 1_400);
    const outcome = await ended;
    expect(outcome).toMatchObject({ interrupted: false, heardText: REPLY });
    expect(call.decisions.map((d) => d.kind)).toEqual(['paused', 'resumed-false']);
    // Held, not dropped: nothing is lost or sent twice.
    expect(call.frames.length).toBe(90);
    const [paused, resumed] = call.decisions;
    expect(call.frames.filter((at) => at > paused!.seen + 25 && at < resumed!.seen)).toEqual([]);
    expect(call.clears.length).toBe(1);
    expect(call.turns).toEqual([]);
  });

  it('a real barge-in stops the audio at once and the reply is marked interrupted', async () => {
    const call = callWithReply();
    open = call.session;
    await call.session.start();
    const reply = call.session.startReply('t3');
    reply.write(REPLY);
    const ended = reply.end();
    await sleep(300);
    await call.caller(300, 0);
    const paused = call.decisions[0]!;
    expect(paused.kind).toBe('paused');
    call.stt.final('wait I need to change that');
    await call.caller(0, 600);
    const outcome = await ended;
    expect(outcome.interrupted).toBe(true);
    expect(outcome.interruptions).toMatchObject([{ kind: 'paused' }, { kind: 'barge-in', words: 'wait I need to change that' }]);
    expect(reply.signal.aborted).toBe(true);
    // The audio stopped when the caller's sound was heard, before any word: at most a frame already on its way.
    expect(call.frames.filter((at) => at > paused.seen + 25)).toEqual([]);
    expect(call.frames.length).toBeLessThan(90);
    expect(call.clears.length).toBeGreaterThanOrEqual(1);
    // The words are the caller's next turn.
    expect(call.turns.map((turn) => turn.text)).toEqual(['wait I need to change that']);
  });

  it('with the agent silent, speech is just the caller starting a turn', async () => {
    const call = callWithReply();
    open = call.session;
    await call.session.start();
    await call.caller(300, 0);
    call.stt.final('okay');
    await call.caller(0, 600);
    expect(call.decisions).toEqual([]);
    expect(call.turns.map((turn) => turn.text)).toEqual(['okay']);
  });
});
