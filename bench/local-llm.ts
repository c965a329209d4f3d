/**
 * The local LLM under phone-call load: TTFT and generation speed for 1 and for 4
 * concurrent multi-turn conversations (a ~200-token system prompt, four caller turns
 * each, a short pause between turns), per number of parallel slots; the server's RSS
 * and CPU idle and under load; and how often the model picks the right tool (or none).
 *
 *   npm run bench:local-llm -- --parallel 1,2,4 --threads 2 [--model path.gguf]
 *
 * Prints numbers; asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { localModelPath } from '../test/support/local-model.js';
import { startPlatformProcess, stopPlatformProcess, type PlatformProcess } from '../test/support/platform-process.js';

const { values } = parseArgs({
  options: {
    parallel: { type: 'string', default: '1,2,4' },
    threads: { type: 'string', default: '2' },
    model: { type: 'string' },
    'max-tokens': { type: 'string', default: '60' },
    'pause-ms': { type: 'string', default: '300' },
  },
});
const MAX_TOKENS = Number(values['max-tokens']);
const PAUSE_MS = Number(values['pause-ms']);

const system = [
  'You are Anna, the friendly phone receptionist of Bright Dental, a family dental clinic at 12 Main Street, next to the post office.',
  'Opening hours: Monday to Friday 8 am to 6 pm, Saturday 9 am to 1 pm, closed on Sunday and on public holidays.',
  'Prices: a check-up costs 60 dollars, a cleaning 80 dollars, a filling from 120 dollars; children under 12 get a free check-up.',
  'The dentists are Dr. Smith (general dentistry) and Dr. Patel (children and orthodontics). New patients are welcome.',
  'Parking is free behind the building. We accept cash, cards and most insurance plans.',
  'You are speaking on the phone: answer in one or two short sentences, in a warm spoken style, no lists, no markdown.',
  'If you do not know something, say that a colleague will call back.',
].join(' ');

const conversations = [
  ['Hi, are you open on Saturday?', 'How much is a check-up?', 'Is there parking?', 'Great, thank you, bye.'],
  ['Hello, I am a new patient.', 'Which dentist sees children?', 'Do you take insurance?', 'Thanks a lot.'],
  ['What are your opening hours?', 'And what does a cleaning cost?', 'Where are you exactly?', 'Perfect, goodbye.'],
  ['Good morning, is this Bright Dental?', 'Are you open on Sunday?', 'How much is a filling?', 'Okay, thanks.'],
];

interface TurnSample {
  ttftMs: number;
  tokensPerSecond: number;
  promptTokens: number;
  cachedTokens: number;
  status: 'ok' | 'busy' | 'error';
}

async function turn(client: OpenAI, messages: ChatCompletionMessageParam[]): Promise<{ sample: TurnSample; text: string }> {
  const started = performance.now();
  let first = 0;
  let text = '';
  let usage: { completion_tokens: number; prompt_tokens: number; prompt_tokens_details?: { cached_tokens?: number } } | undefined;
  try {
    const stream = await client.chat.completions.create({ model: 'local', messages, max_tokens: MAX_TOKENS, temperature: 0.7, stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta?.content;
      if (content && !first) first = performance.now();
      if (content) text += content;
      if (chunk.usage) usage = chunk.usage;
    }
  } catch (error) {
    const status = (error as { status?: number }).status === 503 ? 'busy' : 'error';
    return { sample: { ttftMs: NaN, tokensPerSecond: NaN, promptTokens: 0, cachedTokens: 0, status }, text: '' };
  }
  const ended = performance.now();
  const generated = usage?.completion_tokens ?? 0;
  return {
    sample: {
      ttftMs: (first || ended) - started,
      tokensPerSecond: generated > 1 && first ? (generated - 1) / ((ended - first) / 1000) : NaN,
      promptTokens: usage?.prompt_tokens ?? 0,
      cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
      status: 'ok',
    },
    text,
  };
}

/** The last four-at-once run's transcripts, to read for garbled answers. */
const transcripts: string[][] = [];

async function conversation(client: OpenAI, lines: string[], transcript?: string[]): Promise<TurnSample[]> {
  const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: system }];
  const samples: TurnSample[] = [];
  for (const line of lines) {
    messages.push({ role: 'user', content: line });
    const { sample, text } = await turn(client, messages);
    samples.push(sample);
    transcript?.push(`  caller: ${line}\n  agent:  ${sample.status === 'ok' ? text.trim() : `(${sample.status})`}`);
    messages.push({ role: 'assistant', content: text || 'Sorry, one moment please.' });
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  return samples;
}

/** CPU seconds and resident memory of one process, from /proc. */
function processUsage(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return { cpuSeconds: ticks / 100, rssMb: rssKb / 1024 };
}

async function measure<T>(pid: number, run: () => Promise<T>): Promise<{ result: T; cpuPercent: number; peakRssMb: number }> {
  const before = processUsage(pid);
  const started = performance.now();
  let peak = before.rssMb;
  const sampler = setInterval(() => (peak = Math.max(peak, processUsage(pid).rssMb)), 200);
  const result = await run();
  clearInterval(sampler);
  const after = processUsage(pid);
  return { result, cpuPercent: (100 * (after.cpuSeconds - before.cpuSeconds)) / ((performance.now() - started) / 1000), peakRssMb: Math.max(peak, after.rssMb) };
}

const percentile = (values: number[], p: number) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
};
const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

const tools: ChatCompletionTool[] = [
  { type: 'function', function: { name: 'check_order_status', description: 'Look up the delivery status of a customer order by its order number.', parameters: { type: 'object', properties: { order_number: { type: 'string' } }, required: ['order_number'] } } },
  { type: 'function', function: { name: 'transfer_to_human', description: 'Transfer the caller to a human agent when they ask for a person, a manager or a real human.', parameters: { type: 'object', properties: { reason: { type: 'string' } }, required: ['reason'] } } },
];
const toolCases: [string, string][] = [
  ['What are your opening hours?', 'reply'], ['Hello, is this the dental clinic?', 'reply'], ['How much is a check-up?', 'reply'],
  ['Are you open on Sunday?', 'reply'], ['Where are you located?', 'reply'], ['Thank you, goodbye.', 'reply'],
  ['Can I bring my child?', 'reply'], ['Do you open on Saturdays?', 'reply'], ['What is your name?', 'reply'], ['I have a toothache, what should I do?', 'reply'],
  ['Where is my order 4471? It has not arrived.', 'check_order_status'], ['Can you check the status of order number 99812?', 'check_order_status'],
  ['I ordered a toothbrush, order A-553, when will it come?', 'check_order_status'], ['Has my order 1200 shipped yet?', 'check_order_status'],
  ['Track my order 777 please.', 'check_order_status'],
  ['I want to talk to a real person.', 'transfer_to_human'], ['Put me through to a manager, please.', 'transfer_to_human'],
  ['Can I speak with a human?', 'transfer_to_human'], ['Transfer me to someone at the front desk.', 'transfer_to_human'], ['I need to speak to a person now.', 'transfer_to_human'],
];

async function toolReliability(client: OpenAI): Promise<{ right: number; total: number; wrong: string[]; meanMs: number }> {
  let right = 0;
  const wrong: string[] = [];
  let totalMs = 0;
  for (const [line, expected] of toolCases) {
    const started = performance.now();
    const completion = await client.chat.completions.create({ model: 'local', messages: [{ role: 'system', content: system }, { role: 'user', content: line }], tools, max_tokens: 40, temperature: 0.7 });
    totalMs += performance.now() - started;
    const got = completion.choices[0]?.message.tool_calls?.[0]?.type === 'function' ? completion.choices[0].message.tool_calls[0].function.name : 'reply';
    if (got === expected) right++;
    else wrong.push(`"${line}" → ${got} (wanted ${expected})`);
  }
  return { right, total: toolCases.length, wrong, meanMs: totalMs / toolCases.length };
}

async function startServer(modelPath: string, parallel: number): Promise<{ server: PlatformProcess; client: OpenAI }> {
  const server = startPlatformProcess(['--role', 'llm'], { LOCAL_LLM_MODEL: modelPath, LOCAL_LLM_PORT: '0', LOCAL_LLM_PARALLEL: String(parallel), LOCAL_LLM_THREADS: values.threads, LOG_LEVEL: 'warn' });
  const url = (await server.waitForOutput(/llm is up at (http:\S+)/, 120_000))[1]!;
  return { server, client: new OpenAI({ baseURL: url, apiKey: 'local', maxRetries: 0, timeout: 60_000 }) };
}

const modelPath = values.model ?? (await localModelPath());
console.log(`model ${modelPath}, threads ${values.threads}, max_tokens ${MAX_TOKENS}, pause ${PAUSE_MS} ms between turns, 4 turns per conversation\n`);
const rows: string[][] = [];
const resources: string[][] = [];
let reliability: Awaited<ReturnType<typeof toolReliability>> | undefined;
for (const parallel of values.parallel.split(',').map(Number)) {
  const { server, client } = await startServer(modelPath, parallel);
  const pid = server.child.pid!;
  const idle = await measure(pid, () => new Promise((resolve) => setTimeout(resolve, 3_000)));
  resources.push([`${parallel}`, 'idle', fmt(idle.peakRssMb), fmt(idle.cpuPercent)]);
  for (const concurrent of [1, 4]) {
    // One conversation alone, twice in a row; or four at once.
    const load = await measure(pid, async () =>
      concurrent === 1
        ? [...(await conversation(client, conversations[0]!)), ...(await conversation(client, conversations[1]!))]
        : (await Promise.all(conversations.map((lines, index) => conversation(client, lines, (transcripts[index] = []))))).flat(),
    );
    const samples = load.result;
    const ok = samples.filter((sample) => sample.status === 'ok');
    const first = ok.filter((_, index) => index % 4 === 0);
    const later = samples.filter((sample, index) => index % 4 !== 0 && sample.status === 'ok');
    const cachedShare = later.reduce((sum, s) => sum + s.cachedTokens, 0) / Math.max(1, later.reduce((sum, s) => sum + s.promptTokens, 0));
    rows.push([
      `${parallel}`,
      `${concurrent}`,
      `${ok.length}/${samples.length}`,
      `${samples.filter((s) => s.status === 'busy').length}`,
      fmt(percentile(first.map((s) => s.ttftMs), 50)),
      fmt(percentile(later.map((s) => s.ttftMs), 50)),
      fmt(percentile(ok.map((s) => s.ttftMs), 50)),
      fmt(percentile(ok.map((s) => s.ttftMs), 95)),
      fmt(percentile(ok.map((s) => s.tokensPerSecond), 50), 1),
      `${fmt(100 * cachedShare)}%`,
    ]);
    resources.push([`${parallel}`, `${concurrent} conversation${concurrent > 1 ? 's' : ''}`, fmt(load.peakRssMb), fmt(load.cpuPercent)]);
  }
  if (parallel === 2 || !reliability) reliability = await toolReliability(client);
  await stopPlatformProcess(server);
}

const table = (header: string[], body: string[][]) => {
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padStart(widths[column]!)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
};
console.log(table(['slots', 'conversations', 'turns ok', '503', 'TTFT p50 turn 1 (ms)', 'TTFT p50 turns 2-4 (ms)', 'TTFT p50 (ms)', 'TTFT p95 (ms)', 'tok/s p50 (per stream)', 'cached (turns 2-4)'], rows));
console.log(`\n${table(['slots', 'phase', 'peak RSS (MB)', 'CPU (%)'], resources)}`);
console.log('\ntranscripts of the last four-at-once run (temperature 0.7):');
for (const transcript of transcripts) console.log(`${transcript.join('\n')}\n`);
if (reliability) {
  console.log(`\ntool choice: ${reliability.right}/${reliability.total} right (10 need no tool, 10 need one of two tools), mean ${fmt(reliability.meanMs)} ms per request`);
  for (const line of reliability.wrong) console.log(`  wrong: ${line}`);
}
