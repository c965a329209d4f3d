import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';
import { startPlatformProcess, stopPlatformProcess, type PlatformProcess } from './platform-process.js';

export interface NoKeyPlatform {
  process: PlatformProcess;
  apiUrl: string;
  /** Its data folder, removed by stop(). */
  dataDir: string;
  /** The development admin key the banner prints. */
  apiKey: string;
  stop(): Promise<void>;
}

/**
 * What a new user runs: `npm start` (main.ts) on a fresh data folder, embedded Temporal
 * and PostgreSQL, and every vendor key blanked, so the local engines serve every call.
 */
export async function startNoKeyPlatform(extraEnv: Record<string, string> = {}): Promise<NoKeyPlatform> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'voice-no-key-'));
  const [apiPort, gatewayPort, temporalPort, uiPort, pgPort, llmPort] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => freePort()));
  const process = startPlatformProcess([], {
    DATABASE_URL: '',
    TEMPORAL_ADDRESS: '',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    DEEPGRAM_API_KEY: '',
    ELEVENLABS_API_KEY: '',
    DATA_DIR: dataDir,
    API_PORT: String(apiPort),
    GATEWAY_PORT: String(gatewayPort),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    EMBEDDED_POSTGRES_PORT: String(pgPort),
    LOCAL_LLM_PORT: String(llmPort),
    ...extraEnv,
  });
  const stop = async () => {
    await stopPlatformProcess(process, 'SIGINT');
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    // The first run on a machine installs the model, the recogniser and the voice.
    await process.waitForOutput(/Press Ctrl-C to stop/, 600_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const apiKey = process.output().match(/Development API key \(admin[^:]*: (\S+)/)![1]!;
  return { process, apiUrl: `http://127.0.0.1:${apiPort}`, dataDir, apiKey, stop };
}
