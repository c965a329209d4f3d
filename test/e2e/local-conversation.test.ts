import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import type { CallView } from '../../domain/calls.js';
import { startNoKeyPlatform, type NoKeyPlatform } from '../support/no-key-platform.js';
import { waitFor, type PlatformProcess } from '../support/platform-process.js';
import { concat, silence, speech } from '../support/speech.js';
import { wavFile } from '../support/wav-file.js';
import { WebCallClient } from '../support/web-call-client.js';
import { wordErrorRate } from '../../bench/speech/english-normaliser.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const EXCEPTION_PROMPT = "Sorry, I'm having trouble right now. Could you say that again?";
const SPOKEN = 'Hello, I would like to book a table for two people tomorrow evening.';

/**
 * The first call of a new user: `npm start` on a fresh data folder with no keys at all,
 * so the local LLM, the local recogniser and the local voice serve everything.
 */
describe('npm start with no keys: a conversation on its own', () => {
  let started: NoKeyPlatform | undefined;
  let platform: PlatformProcess;
  let api: string;
  let apiKey: string;
  const headers = () => ({ authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' });

  beforeAll(async () => {
    started = await startNoKeyPlatform();
    platform = started.process;
    api = started.apiUrl;
    apiKey = started.apiKey;
  }, 660_000);

  afterAll(async () => {
    await started?.stop();
  });

  it('says in the banner which engine serves each modality', () => {
    const banner = platform.output();
    expect(banner).toMatch(/LLM {14}local /);
    expect(banner).toMatch(/Speech to text {3}local /);
    expect(banner).toMatch(/Text to speech {3}local /);
  });

  it('gives a new agent the local engines, and answers a typed question with the local model', async () => {
    const created = await fetch(`${api}/v1/agents`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ name: 'Front desk', config: { systemPrompt: 'You are the receptionist of Luigi\'s restaurant. We are open Tuesday to Sunday, noon to 10 pm, closed on Mondays. Answer in one short sentence.' } }),
    });
    expect(created.status).toBe(201);
    const agent = (await created.json()) as { id: string; config: { llm: { provider: string }[]; stt: { provider: string }[]; tts: { provider: string }[] } };
    expect(agent.config.llm.map((entry) => entry.provider)).toEqual(['local']);
    expect(agent.config.stt[0]!.provider).toBe('whisper');
    expect(agent.config.tts.at(-1)!.provider).toBe('espeak');

    const started = await fetch(`${api}/v1/calls/web`, { method: 'POST', headers: headers(), body: JSON.stringify({ agentId: agent.id }) });
    expect(started.status).toBe(201);
    const call = (await started.json()) as { callId: string; mediaUrl: string };
    const client = new WebCallClient(call.mediaUrl);
    await client.next('ready');
    // The whole reply, not its first token: on 2 cores shared with the other suites a
    // 120-token answer from the CPU model can take a minute.
    const result = await client.say('What are your opening hours?', 120_000);
    expect(result.reply.trim().length).toBeGreaterThan(0);
    expect(result.reply).not.toBe(EXCEPTION_PROMPT);
    client.send({ type: 'hangup' });
    const stored = await storedCall(call.callId, (view) => !view.live);
    const reply = stored.turns.find((turn) => turn.role === 'agent' && turn.text === result.reply)!;
    expect(reply.providers?.some((label) => label.startsWith('llm:local/'))).toBe(true);
  }, 180_000);

  it('hears a caller through a Chromium fake microphone, and the local model\'s reply is stored and played', async () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    const wav = path.join(started!.dataDir, 'caller.wav');
    // Chromium loops the file: a long tail of silence keeps it to one utterance within the test.
    await writeFile(wav, wavFile(concat([silence(1_500), await speech(SPOKEN), silence(60_000)]), 16_000));
    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${api}/call.html#key=${apiKey}`);
      await page.fill('#first', '');
      await page.click('#start');
      await page.waitForFunction("document.getElementById('status').textContent.includes('connected')", undefined, { timeout: 30_000 });
      const callId = await page.evaluate<string | undefined>('document.body.dataset.callId');
      expect(callId).toBeTruthy();
      const live = await storedCall(callId!, (view) => view.turns.some((turn) => turn.role === 'agent' && turn.text.length > 0), 120_000);
      const user = live.turns.find((turn) => turn.role === 'user')!;
      process.stdout.write(`chromium caller said "${SPOKEN}"; stored "${user.text}" (WER ${(wordErrorRate(SPOKEN, user.text) * 100).toFixed(1)}%)\n`);
      expect(wordErrorRate(SPOKEN, user.text)).toBeLessThanOrEqual(0.2);
      const reply = live.turns.find((turn) => turn.role === 'agent')!;
      expect(reply.text).not.toBe(EXCEPTION_PROMPT);
      expect(reply.providers?.some((label) => label.startsWith('llm:local/'))).toBe(true);
      expect(reply.interrupted).not.toBe(true);
      // Played: the page scheduled the reply's audio on its AudioContext.
      await page.waitForFunction('Number(document.body.dataset.playedMs || 0) > 500', undefined, { timeout: 20_000 });
      // The page shows the transcript it polls.
      await page.waitForFunction("document.querySelectorAll('#transcript p.agent').length > 0", undefined, { timeout: 10_000 });
      await page.click('#hangup');
    } finally {
      await browser.close();
    }
  }, 240_000);

  async function storedCall(callId: string, done: (view: CallView) => boolean, timeoutMs = 60_000): Promise<CallView> {
    let last: CallView | undefined;
    try {
      return await waitFor(`call ${callId}`, async () => {
        const response = await fetch(`${api}/v1/calls/${callId}`, { headers: headers() });
        if (!response.ok) return undefined;
        last = (await response.json()) as CallView;
        return done(last) ? last : undefined;
      }, timeoutMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}; the call was ${JSON.stringify(last)}; platform output: ${platform.output().slice(-3_000)}`);
    }
  }
});
