import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; every line names the role that wrote it. */
export function createLogger(role: string, level: string): Logger {
  return pino({ level, base: { role, pid: process.pid } });
}
