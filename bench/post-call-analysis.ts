/**
 * Post-call analysis lag: the whole platform (`main.ts` on embedded Temporal and
 * PostgreSQL, as `npm start` runs it) takes N browser calls in text mode, C at a time;
 * each caller says a line and hangs up. The fake LLM answers the analysis (structured
 * outputs) after `--llm-ms`. Prints, per call, the time from the stored hang-up
 * (`endedAt`) to the stored analysis (`completedAt`), and from the caller's hang-up to
 * the `analysis.completed` webhook arriving at a receiver.
 *
 *   npm run bench:analysis -- --calls 100 --concurrency 4 --llm-ms 300
 *
 * Prints numbers; asserts nothing.
 */
import { parseArgs } from 'node:util';
import { FakeOpenAiServer } from '../test/fakes/fake-openai-server.js';
import { WebhookReceiver } from '../test/fakes/webhook-receiver.js';
import { CampaignHarness } from '../test/support/campaign-harness.js';
import { WebCallClient } from '../test/support/web-call-client.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
    'llm-ms': { type: 'string', default: '300' },
  },
});
const CALLS = Number(values.calls);
const CONCURRENCY = Number(values.concurrency);
const LLM_MS = Number(values['llm-ms']);

const llm = await new FakeOpenAiServer((request) => {
  const format = request.response_format?.json_schema?.name;
  if (format === 'call_analysis') return { firstTokenMs: LLM_MS, text: JSON.stringify({ summary: 'A caller asked about prices.', sentiment: 'neutral', success: true, successReason: 'Answered.' }) };
  if (format === 'call_data') return { firstTokenMs: LLM_MS, text: JSON.stringify({ topic: 'prices' }) };
  return { text: 'Our prices start at ten dollars.' };
}).start();
const receiver = await (await WebhookReceiver.create()).up();
const harness = await new CampaignHarness({ talkMs: 0, env: { OPENAI_BASE_URL: llm.baseUrl } }).start();

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const line = (name: string, samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (n: number) => String(Math.round(n)).padStart(6);
  return `  ${name.padEnd(44)} p50 ${f(percentile(sorted, 50))}  p95 ${f(percentile(sorted, 95))}  max ${f(sorted.at(-1)!)}  ms`;
};

try {
  await harness.api('POST', '/v1/webhooks', { url: receiver.url, eventTypes: ['analysis.completed'] });
  const agent = await harness.api<{ id: string }>('POST', '/v1/agents', {
    name: 'Analysed',
    config: {
      systemPrompt: 'You answer questions about prices.',
      llm: [{ provider: 'openai', model: 'gpt-4o-mini' }],
      analysis: { successCriteria: 'The caller got a price.', structuredData: { type: 'object', properties: { topic: { type: 'string' } } } },
    },
  });
  const hungUpAt = new Map<string, number>();
  let next = 0;
  const started = Date.now();
  const caller = async () => {
    while (next < CALLS) {
      next++;
      const call = await harness.api<{ callId: string }>('POST', '/v1/calls/web', { agentId: agent.id });
      const client = new WebCallClient(`${harness.gatewayUrl}/media/web/${call.callId}`);
      await client.next('ready');
      await client.say('How much does it cost?');
      hungUpAt.set(call.callId, Date.now());
      client.send({ type: 'hangup' });
      await client.closed;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, caller));
  const deadline = Date.now() + 120_000;
  while (receiver.received.length < CALLS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const elapsed = (Date.now() - started) / 1000;

  const stored: number[] = [];
  const webhook: number[] = [];
  const arrivals = new Map(receiver.received.map((each) => [(each.event.data as { callId: string }).callId, each.at]));
  let missing = 0;
  for (const [callId, hungUp] of hungUpAt) {
    const call = await harness.api<{ endedAt: string; analysis: { status: string; completedAt: string | null } | null }>('GET', `/v1/calls/${callId}`);
    if (call.analysis?.status !== 'completed' || !call.analysis.completedAt) {
      missing++;
      continue;
    }
    stored.push(Date.parse(call.analysis.completedAt) - Date.parse(call.endedAt));
    const arrived = arrivals.get(callId);
    if (arrived !== undefined) webhook.push(arrived - hungUp);
  }
  console.log(`post-call analysis: ${CALLS} calls, ${CONCURRENCY} at a time, fake LLM ${LLM_MS} ms per answer, ${elapsed.toFixed(1)} s`);
  console.log(line('hang-up stored → analysis stored', stored));
  console.log(line('caller hangs up → analysis.completed webhook', webhook));
  console.log(`  analyses missing after 120 s: ${missing}; webhooks received: ${receiver.received.length}`);
} finally {
  await harness.stop();
  await receiver.down();
  await llm.stop();
}
