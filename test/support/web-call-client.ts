import WebSocket from 'ws';
import type { WebCallServerMessage } from '../../media-gateway/transports/web/web-call-session.js';

type TurnResult = Extract<WebCallServerMessage, { type: 'turn_result' }>;

/** A scripted caller on the web-call socket in text mode. */
export class WebCallClient {
  readonly messages: WebCallServerMessage[] = [];
  closeCode?: number;
  closeReason?: string;
  private readonly socket: WebSocket;
  private readonly waiters: { match: (m: WebCallServerMessage) => boolean; resolve: (m: WebCallServerMessage) => void }[] = [];
  readonly closed: Promise<void>;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as WebCallServerMessage;
      this.messages.push(message);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
    this.closed = new Promise((resolve) =>
      this.socket.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve();
      }),
    );
  }

  next<T extends WebCallServerMessage['type']>(type: T, match: (m: Extract<WebCallServerMessage, { type: T }>) => boolean = () => true, timeoutMs = 30_000): Promise<Extract<WebCallServerMessage, { type: T }>> {
    const existing = this.messages.find((m) => m.type === type && match(m as never));
    if (existing) return Promise.resolve(existing as never);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5))}`)), timeoutMs);
      this.waiters.push({
        match: (m) => m.type === type && match(m as never),
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as never);
        },
      });
    });
  }

  send(message: object | string): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  sendBinary(data: Buffer): void {
    this.socket.send(data);
  }

  private userMessages = 0;

  /** Sends a user message; resolves with its turn result (the gateway answers turns in order). */
  async say(text: string, timeoutMs?: number): Promise<TurnResult> {
    const index = this.userMessages++;
    this.send({ type: 'user_text', text });
    const results = () => this.messages.filter((m): m is TurnResult => m.type === 'turn_result');
    await this.next('turn_result', () => results().length > index, timeoutMs);
    return results()[index]!;
  }

  /** Sends a user message without waiting for its result. */
  type(text: string): void {
    this.userMessages++;
    this.send({ type: 'user_text', text });
  }

  deltasOf(turnId: string): string {
    return this.messages
      .filter((m): m is Extract<WebCallServerMessage, { type: 'agent_text_delta' }> => m.type === 'agent_text_delta' && m.turnId === turnId)
      .map((m) => m.text)
      .join('');
  }

  close(): void {
    this.socket.close();
  }
}
