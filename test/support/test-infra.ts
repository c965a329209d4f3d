import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { RunningPostgres } from '../../db/embedded-postgres.js';

interface TestInfra {
  postgres: RunningPostgres;
  temporal: TestWorkflowEnvironment;
  root: string;
}

const key = Symbol.for('voice-platform.test-infra');
type Holder = { [key]?: TestInfra };

/** Hands what global setup started to global teardown (same process, different module registry). */
export const testInfra = {
  set(infra: TestInfra): void {
    (globalThis as Holder)[key] = infra;
  },
  take(): TestInfra | undefined {
    const infra = (globalThis as Holder)[key];
    delete (globalThis as Holder)[key];
    return infra;
  },
};
