// Estimated cost of a call from list prices (USD, late 2026). Estimates: the vendors'
// invoices are the truth; these let teams compare agents and campaigns.

/** Carrier per minute, by call direction; browser calls and rehearsals cost no carrier time. */
const CARRIER_PER_MINUTE: Record<string, number> = { inbound: 0.0085, outbound: 0.014, web: 0, simulation: 0 };
/** Speech-to-text per minute of caller audio, by provider. */
const STT_PER_MINUTE: Record<string, number> = { deepgram: 0.0043 };
/** Text-to-speech per 1,000 characters spoken, by provider; espeak runs here for free. */
const TTS_PER_1K_CHARS: Record<string, number> = { elevenlabs: 0.18 };
/** LLM output per 1,000 characters (about 250 tokens), by model; prompts are priced at a quarter of that per character. */
const LLM_OUTPUT_PER_1K_CHARS: Record<string, number> = { 'gpt-4o-mini': 0.00015, 'gpt-4o': 0.0025, 'gpt-4.1-mini': 0.0004, 'gpt-4.1': 0.002 };
const DEFAULT_LLM_OUTPUT_PER_1K_CHARS = 0.0005;

export interface CostTurn {
  role: string;
  text: string;
  /** e.g. `llm:openai/gpt-4o-mini`, `tts:elevenlabs/…`, `stt:deepgram/nova-3`. */
  providers: string[];
}

function providerOf(providers: string[], capability: string): { vendor: string; model: string } | undefined {
  const entry = providers.find((each) => each.startsWith(`${capability}:`));
  if (!entry) return undefined;
  const [vendor = '', model = ''] = entry.slice(capability.length + 1).split('/');
  return { vendor, model };
}

export function estimateCallCostUsd(call: { direction: string; durationMs: number; turns: CostTurn[] }): number {
  const minutes = call.durationMs / 60_000;
  let cost = (CARRIER_PER_MINUTE[call.direction] ?? 0) * minutes;
  const stt = call.turns.map((turn) => providerOf(turn.providers, 'stt')).find(Boolean);
  if (stt) cost += (STT_PER_MINUTE[stt.vendor] ?? 0) * minutes;
  let context = 0;
  for (const turn of call.turns) {
    context += turn.text.length;
    if (turn.role !== 'agent') continue;
    const llm = providerOf(turn.providers, 'llm');
    if (llm) {
      const rate = LLM_OUTPUT_PER_1K_CHARS[llm.model] ?? DEFAULT_LLM_OUTPUT_PER_1K_CHARS;
      cost += (rate * turn.text.length) / 1_000 + (rate / 4) * (context / 1_000);
    }
    const tts = providerOf(turn.providers, 'tts');
    if (tts) cost += ((TTS_PER_1K_CHARS[tts.vendor] ?? 0) * turn.text.length) / 1_000;
  }
  return Math.round(cost * 1e6) / 1e6;
}
