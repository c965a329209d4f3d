/**
 * Voice to voice through `npm start`: a caller on the web-call socket speaks espeak-ng
 * sentences in real time; per turn it measures from the caller's last voiced frame to
 * the first agent audio frame.
 *
 * `--vendors local` (the default): no keys, so the platform's defaults serve the agent:
 * the local LLM, Whisper, Piper. `--vendors fake`: the platform talks to protocol fakes
 * of OpenAI, Deepgram and ElevenLabs at fixed latencies, which isolates what the
 * platform itself adds (turn detection, the Update, the workflow, playback).
 *
 *   npm run bench:voice-to-voice -- --turns 20 --calls 4
 *   npm run bench:voice-to-voice -- --vendors fake --llm-ttft 150 --tts-ttfb 80 --turns 40
 *
 * Prints numbers; asserts nothing.
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import type { CallView } from '../domain/calls.js';
import { int16ToBytes } from '../media-gateway/audio/codec.js';
import { startNoKeyPlatform } from '../test/support/no-key-platform.js';
import { concat, frames, silence, speech } from '../test/support/speech.js';
import { FakeDeepgramServer } from '../test/fakes/fake-deepgram-server.js';
import { FakeElevenLabsServer } from '../test/fakes/fake-elevenlabs-server.js';
import { FakeOpenAiServer } from '../test/fakes/fake-openai-server.js';

const { values } = parseArgs({
  options: {
    turns: { type: 'string', default: '20' },
    calls: { type: 'string', default: '4' },
    vendors: { type: 'string', default: 'local' },
    'llm-ttft': { type: 'string', default: '150' },
    'tts-ttfb': { type: 'string', default: '80' },
  },
});
const turns = Number(values.turns);
const calls = Number(values.calls);
const fakeVendors = values.vendors === 'fake';
const lines = [
  'Hi, are you open on Tuesday?',
  'What time do you close tonight?',
  'I would like a table for two.',
  'Do you have vegetarian dishes?',
  'Can I bring my dog?',
  'Is there parking nearby?',
  'How much is the lunch menu?',
  'Thank you, that is all.',
];
const FRAME_MS = 20;
const VOICED = 600;

const fakes = fakeVendors ? await startFakeVendors() : undefined;
const platform = await startNoKeyPlatform({ LOG_LEVEL: 'warn', ...fakes?.env });
const results: { voiceToVoice: number; text: string }[] = [];
let audio: Int16Array[] = [];
const stages: NonNullable<CallView['turns'][number]['timings']>[] = [];
try {
  const engines = platform.process.output().match(/ {2}(LLM|Speech to text|Text to speech) +.*$/gm) ?? [];
  const { apiKey, apiUrl: api } = platform;
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const agent = (await (
    await fetch(`${api}/v1/agents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Bench', config: { systemPrompt: "You are the receptionist of Luigi's restaurant, open Tuesday to Sunday from noon to 10 pm. Answer in one short sentence.", silenceTimeoutMs: 120_000 } }),
    })
  ).json()) as { id: string };
  audio = await Promise.all(lines.map((line) => speech(line)));
  const perCall = Math.ceil(turns / calls);
  for (let c = 0; c < calls && results.length < turns; c++) {
    const call = (await (await fetch(`${api}/v1/calls/web`, { method: 'POST', headers, body: JSON.stringify({ agentId: agent.id }) })).json()) as { mediaUrl: string; callId: string };
    await talk(call.mediaUrl, Math.min(perCall, turns - results.length), c);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const stored = (await (await fetch(`${api}/v1/calls/${call.callId}`, { headers })).json()) as CallView;
    for (const turn of stored.turns) if (turn.role === 'agent' && turn.timings?.speechEndedAt) stages.push(turn.timings);
  }
  const sorted = results.map((r) => r.voiceToVoice).sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  process.stdout.write(`\nvoice to voice, npm start ${fakeVendors ? `with fake vendors (LLM first token ${values['llm-ttft']} ms, TTS first byte ${values['tts-ttfb']} ms, Deepgram STT)` : 'with no keys'}, ${results.length} turns over ${calls} web calls (16 kHz PCM, real time)\n`);
  if (!fakeVendors) for (const line of engines) process.stdout.write(`${line.trim()}\n`);
  // Where the time goes, from the stored per-turn timings (each stage from the previous one).
  const order = ['speechEndedAt', 'sttFinalAt', 'updateSentAt', 'respondStartedAt', 'llmFirstTokenAt', 'ttsFirstByteAt', 'firstAudioSentAt'] as const;
  for (let i = 1; i < order.length; i++) {
    const deltas = stages.flatMap((t) => (t[order[i]!] !== undefined && t[order[i - 1]!] !== undefined ? [t[order[i]!]! - t[order[i - 1]!]!] : [])).sort((a, b) => a - b);
    if (deltas.length > 0) process.stdout.write(`  ${order[i - 1]} → ${order[i]}: p50 ${deltas[Math.floor(deltas.length / 2)]!.toFixed(0)} ms, p95 ${deltas[Math.min(deltas.length - 1, Math.floor(deltas.length * 0.95))]!.toFixed(0)} ms\n`);
  }
  process.stdout.write(`from the caller's last voiced frame to the first agent audio: p50 ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms, min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}\n`);
} finally {
  await platform.stop();
  await fakes?.stop();
}

/** OpenAI, Deepgram and ElevenLabs as protocol fakes with fixed latencies, and the environment that points the platform at them. */
async function startFakeVendors(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const llm = await new FakeOpenAiServer(() => ({ text: 'We are open Tuesday to Sunday, from noon to ten.', firstTokenMs: Number(values['llm-ttft']), chunkMs: 5 })).start();
  const stt = await new FakeDeepgramServer({ transcripts: (index) => lines[index % lines.length]! }).start();
  const tts = await new FakeElevenLabsServer().start();
  tts.firstByteMs = Number(values['tts-ttfb']);
  return {
    env: {
      OPENAI_API_KEY: 'test-openai-key',
      OPENAI_BASE_URL: llm.baseUrl,
      DEEPGRAM_API_KEY: 'test-deepgram-key',
      DEEPGRAM_BASE_URL: stt.baseUrl,
      ELEVENLABS_API_KEY: 'test-elevenlabs-key',
      ELEVENLABS_BASE_URL: tts.baseUrl,
      LOCAL_LLM: 'off',
    },
    stop: async () => {
      await Promise.all([llm.stop(), stt.stop(), tts.stop()]);
    },
  };
}

/** One call: `count` turns, each waiting for the whole reply to play before the next. */
async function talk(mediaUrl: string, count: number, offset: number): Promise<void> {
  const socket = new WebSocket(`${mediaUrl}?mode=audio`);
  let lastAudioAt = 0;
  let firstAudioAt: number | undefined;
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      lastAudioAt = performance.now();
      firstAudioAt ??= lastAudioAt;
      return;
    }
    const message = JSON.parse(data.toString()) as { type: string; name?: string };
    if (message.type === 'mark') socket.send(JSON.stringify({ type: 'mark', name: message.name }));
  });
  await new Promise((resolve) => socket.once('open', resolve));
  let clock = performance.now();
  // Real time on an absolute schedule, so timer drift does not slow the caller down.
  const send = async (frame: Int16Array) => {
    clock += FRAME_MS;
    const wait = clock - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (socket.readyState === WebSocket.OPEN) socket.send(int16ToBytes(frame));
  };
  const quiet = silence(FRAME_MS);
  for (let i = 0; i < 50; i++) await send(quiet);
  for (let turn = 0; turn < count; turn++) {
    const utterance = audio[(turn + offset * 3) % audio.length]!;
    let lastVoicedAt = 0;
    firstAudioAt = undefined;
    for (const frame of frames(concat([utterance, silence(40)]))) {
      await send(frame);
      if (frame.some((sample) => Math.abs(sample) > VOICED)) lastVoicedAt = clock;
    }
    // Silence until the reply has started and then stopped playing.
    const deadline = performance.now() + 30_000;
    while (performance.now() < deadline && (firstAudioAt === undefined || firstAudioAt < lastVoicedAt || performance.now() - lastAudioAt < 1_200)) await send(quiet);
    if (firstAudioAt !== undefined && firstAudioAt >= lastVoicedAt) {
      results.push({ voiceToVoice: firstAudioAt - lastVoicedAt, text: lines[(turn + offset * 3) % lines.length]! });
      process.stdout.write(`turn ${results.length}: ${(firstAudioAt - lastVoicedAt).toFixed(0)} ms  (${results.at(-1)!.text})\n`);
    } else process.stdout.write(`turn: no reply within 30 s (${lines[(turn + offset * 3) % lines.length]})\n`);
  }
  socket.send(JSON.stringify({ type: 'hangup' }));
  socket.close();
}
