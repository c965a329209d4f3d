import type { IncomingMessage } from 'node:http';

/** The whole request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  let raw = '';
  for await (const chunk of req) raw += (chunk as Buffer).toString();
  return raw;
}
