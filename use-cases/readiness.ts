import type { UseCaseDeps } from './use-case-deps.js';

const CHECK_TIMEOUT_MS = 3_000;

/** `ok`, or `error: …` with the first line of what went wrong. */
export interface Readiness {
  temporal: string;
  database: string;
}

/** Temporal's namespace and PostgreSQL answer, each within a few seconds. */
export async function checkReadiness(deps: Pick<UseCaseDeps, 'db' | 'temporal' | 'config'>): Promise<Readiness> {
  const [temporal, database] = await Promise.all([
    probe(() => deps.temporal.connection.workflowService.describeNamespace({ namespace: deps.config.TEMPORAL_NAMESPACE })),
    probe(() => deps.db.ping()),
  ]);
  return { temporal, database };
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (error) {
    return `error: ${((error as Error).message ?? String(error)).split('\n')[0]}`;
  } finally {
    clearTimeout(timer);
  }
}
