import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { AsyncQueue } from '../../platform/async-queue.js';
import type { SttEvent, SttStream } from './stt.js';

const enum FrameKind {
  open = 1,
  audio = 2,
  close = 3,
}
const READY_TIMEOUT_MS = 30_000;
/** A live call's audio arrives in real time, so little is left to decode when it closes. */
const CLOSE_TIMEOUT_MS = 2_000;

interface SidecarLine {
  id: number;
  type: 'ready' | 'partial' | 'final' | 'end';
  text: string;
}

export interface SpeechSidecarOptions {
  /** Names the engine in errors ("whisper exited …"). */
  name: string;
  /** The Python script speaking the wire format below. */
  script: string;
  pythonPath: string;
  python?: string;
  closeTimeoutMs?: number;
  readyTimeoutMs?: number;
  env?: Record<string, string>;
}

/**
 * One Python recogniser process shared by all of a gateway's streams. Wire format (see
 * pocketsphinx-sidecar.py and whisper-sidecar.py): binary frames in (u8 kind, u32 stream
 * id, u32 length, payload), JSON lines out. If it dies, its streams fail, so each call's
 * STT chain moves on, and the next stream starts a new process.
 */
export class SpeechSidecar {
  private nextId = 1;
  private readonly streams = new Map<number, { events: AsyncQueue<SttEvent>; ended: () => void }>();
  private exited = false;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
    private readonly closeTimeoutMs: number,
  ) {}

  /**
   * `closeTimeoutMs`: how long closing a stream waits for the final of the audio still
   * queued; audio pushed faster than real time (a recording) leaves more to decode.
   */
  static async start(options: SpeechSidecarOptions): Promise<SpeechSidecar> {
    const { name } = options;
    const child = spawn(options.python ?? 'python3', [options.script], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env, PYTHONPATH: options.pythonPath, PYTHONUNBUFFERED: '1' },
    });
    const engine = new SpeechSidecar(name, child, options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
    child.stdin.on('error', () => undefined);
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start in time`)), options.readyTimeoutMs ?? READY_TIMEOUT_MS);
      createInterface({ input: child.stdout }).on('line', (line) => {
        const message = JSON.parse(line) as SidecarLine;
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve();
        } else {
          engine.route(message);
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`${name} could not run (${error.message})`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        const error = new Error(`${name} exited (${signal ?? `code ${code}`}): ${stderr.trim().split('\n').at(-1) ?? ''}`);
        engine.fail(error);
        reject(error);
      });
    });
    await ready;
    return engine;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return !this.exited;
  }

  openStream(): SttStream {
    if (this.exited) throw new Error(`${this.name} is not running`);
    const id = this.nextId++;
    const events = new AsyncQueue<SttEvent>();
    let ended!: () => void;
    const endedPromise = new Promise<void>((resolve) => (ended = resolve));
    this.streams.set(id, { events, ended });
    this.send(FrameKind.open, id);
    let closed = false;
    return {
      events,
      push: (samples) => {
        if (!closed) this.send(FrameKind.audio, id, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
      },
      close: async () => {
        if (closed) return;
        closed = true;
        this.send(FrameKind.close, id);
        // The sidecar flushes a final for speech in progress, then says "end".
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, this.closeTimeoutMs).unref());
        await Promise.race([endedPromise, timeout]);
        this.streams.delete(id);
        events.end();
      },
    };
  }

  stop(): void {
    this.child.stdin.end();
    this.child.kill();
  }

  private send(kind: FrameKind, id: number, payload?: Buffer): void {
    if (this.exited) return;
    const header = Buffer.alloc(9);
    header.writeUInt8(kind, 0);
    header.writeUInt32LE(id, 1);
    header.writeUInt32LE(payload?.length ?? 0, 5);
    this.child.stdin.write(payload ? Buffer.concat([header, payload]) : header);
  }

  private route(message: SidecarLine): void {
    const stream = this.streams.get(message.id);
    if (!stream) return;
    const at = Date.now();
    if (message.type === 'partial') stream.events.push({ type: 'partial', text: message.text, at });
    else if (message.type === 'final') stream.events.push({ type: 'final', text: message.text, at, speechFinal: true });
    else if (message.type === 'end') {
      stream.ended();
      this.streams.delete(message.id);
      stream.events.end();
    }
  }

  private fail(error: Error): void {
    this.exited = true;
    for (const stream of this.streams.values()) {
      stream.events.end(error);
      stream.ended();
    }
    this.streams.clear();
  }
}

/** The gateway's one engine: started on first use, and again after it died. */
export class SharedSpeechSidecar {
  private current?: Promise<SpeechSidecar>;

  constructor(private readonly start: () => Promise<SpeechSidecar>) {}

  get(): Promise<SpeechSidecar> {
    const pending = this.current;
    if (!pending) return (this.current = this.start());
    return pending.then(
      (engine) => (engine.alive ? engine : this.replace(pending)),
      () => this.replace(pending),
    );
  }

  stop(): void {
    void this.current?.then((engine) => engine.stop()).catch(() => undefined);
    this.current = undefined;
  }

  private replace(dead: Promise<SpeechSidecar>): Promise<SpeechSidecar> {
    if (this.current === dead) this.current = this.start();
    return this.current!;
  }
}
