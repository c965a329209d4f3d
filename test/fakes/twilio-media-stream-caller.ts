import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { pcm16ToMulaw } from '../../media-gateway/audio/codec.js';

/**
 * The Twilio side of a Media Streams call, per Twilio's documented protocol:
 * `connected`, `start` (streamSid, callSid, µ-law 8 kHz), one `media` message of
 * 20 ms every 20 ms for as long as the call lasts (silence when the caller is quiet,
 * like a phone line), `mark` echoed when the audio before it has played, `stop` at
 * hang-up. Records what the agent sent: audio, marks and `clear`s.
 */
export class TwilioMediaStreamCaller {
  readonly streamSid = `MZ${randomBytes(16).toString('hex')}`;
  readonly received: { at: number; event: string; name?: string; bytes?: number }[] = [];
  closeCode?: number;
  closeReason?: string;
  private readonly socket: WebSocket;
  private readonly outgoing: Int16Array[] = [];
  private timer?: NodeJS.Timeout;
  private sequence = 0;
  private readonly opened: Promise<void>;
  readonly closed: Promise<void>;

  constructor(
    url: string,
    readonly callSid = `CA${randomBytes(16).toString('hex')}`,
  ) {
    this.socket = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      this.socket.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        clearInterval(this.timer);
        resolve();
      }),
    );
    this.socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { event: string; media?: { payload: string }; mark?: { name: string } };
      const at = Date.now();
      if (message.event === 'media') {
        this.received.push({ at, event: 'media', bytes: Buffer.from(message.media!.payload, 'base64').length });
      } else if (message.event === 'mark') {
        this.received.push({ at, event: 'mark', name: message.mark!.name });
        // Frames arrive in real time, so receiving the mark is when playback reaches it.
        this.send({ event: 'mark', streamSid: this.streamSid, sequenceNumber: String(++this.sequence), mark: { name: message.mark!.name } });
      } else {
        this.received.push({ at, event: message.event });
      }
    });
  }

  /** connected + start, then the 20 ms media clock. */
  async start(): Promise<void> {
    await this.opened;
    this.send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.send({
      event: 'start',
      sequenceNumber: String(++this.sequence),
      streamSid: this.streamSid,
      start: {
        streamSid: this.streamSid,
        accountSid: 'AC00000000000000000000000000000000',
        callSid: this.callSid,
        tracks: ['inbound'],
        customParameters: {},
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
    let chunk = 0;
    this.timer = setInterval(() => {
      const frame = this.outgoing.shift() ?? new Int16Array(160);
      this.send({
        event: 'media',
        sequenceNumber: String(++this.sequence),
        streamSid: this.streamSid,
        media: { track: 'inbound', chunk: String(++chunk), timestamp: String(chunk * 20), payload: Buffer.from(pcm16ToMulaw(frame)).toString('base64') },
      });
    }, 20);
  }

  /** Queues 8 kHz speech; resolves once all of it has been sent. */
  async speak(samples8k: Int16Array): Promise<void> {
    for (let i = 0; i < samples8k.length; i += 160) {
      const frame = new Int16Array(160);
      frame.set(samples8k.subarray(i, i + 160));
      this.outgoing.push(frame);
    }
    while (this.outgoing.length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  /** Keypad presses, one `dtmf` event a key, as Twilio sends them. */
  pressKeys(keys: string): void {
    for (const digit of keys) {
      this.send({ event: 'dtmf', streamSid: this.streamSid, sequenceNumber: String(++this.sequence), dtmf: { track: 'inbound_track', digit } });
    }
  }

  send(message: object | string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  marks(): string[] {
    return this.received.filter((r) => r.event === 'mark').map((r) => r.name!);
  }

  count(event: string): number {
    return this.received.filter((r) => r.event === event).length;
  }

  /** Hangs up the way Twilio does: `stop`, then the socket closes. */
  async hangUp(): Promise<void> {
    clearInterval(this.timer);
    this.send({ event: 'stop', sequenceNumber: String(++this.sequence), streamSid: this.streamSid, stop: { accountSid: 'AC00000000000000000000000000000000', callSid: this.callSid } });
    this.socket.close(1000);
    await this.closed;
  }
}

