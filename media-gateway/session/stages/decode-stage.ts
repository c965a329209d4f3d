import type { InboundCodec } from '../../audio/codec.js';
import { InboundStage, type InboundFrame } from './inbound-stage.js';

/** The transport's bytes → PCM16 at the transport's rate. */
export class DecodeStage extends InboundStage {
  readonly name = 'decode';

  constructor(private readonly codec?: InboundCodec) {
    super();
  }

  process(frame: InboundFrame): void {
    if (frame.type === 'payload' && this.codec) this.push({ type: 'audio', samples: this.codec.decode(frame.bytes), sampleRate: this.codec.sampleRate });
    else this.push(frame);
  }
}
