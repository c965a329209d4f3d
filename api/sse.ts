import type { Request, Response } from 'express';
import type { ServerSentEvent } from '../use-cases/event-stream.js';

/**
 * Writes `events` to the response as server-sent events until they end or the client
 * goes. Headers go out at once (with a comment), so the client knows it is connected.
 */
export async function writeEventStream(req: Request, res: Response, events: (signal: AbortSignal) => AsyncIterable<ServerSentEvent>): Promise<void> {
  const abort = new AbortController();
  req.on('close', () => abort.abort());
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(': connected\n\n');
  try {
    for await (const { event, data } of events(abort.signal)) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  } catch (error) {
    if (!abort.signal.aborted) res.write(`event: error\ndata: ${JSON.stringify({ code: 'stream_failed', message: (error as Error).message })}\n\n`);
  }
  res.end();
}
