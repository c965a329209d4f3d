"""PocketSphinx recognition for many live streams in one process.

Started by providers/stt/pocketsphinx-stt.ts with PYTHONPATH pointing at the
`pocketsphinx` wheel (which ships the US English model), so no key and no network
are needed.

stdin, binary frames: u8 kind, u32 stream id, u32 payload length (little endian),
payload. Kinds: 1 open, 2 audio (16 kHz mono PCM16), 3 close.
stdout, one JSON object a line: {"id", "type": "partial"|"final"|"end", "text"}.
"end" is the last line of a stream, after its closing final.

Each stream has its own endpointer (WebRTC VAD, cheap); a decoder (the language
model, ~90 MB) is taken from a shared pool only while an utterance is in progress,
so memory follows the number of people speaking at once, not the number of calls.
"""

import os
import sys

from pocketsphinx import Decoder, Endpointer, set_loglevel

from sidecar_frames import AUDIO, CLOSE, OPEN, emit, frames

SAMPLE_RATE = 16000
# Measured in audio, not wall time: the same partials live and when audio arrives in bursts.
PARTIAL_EVERY_BYTES = int(0.2 * SAMPLE_RATE) * 2
IDLE_DECODERS_KEPT = 2

set_loglevel("FATAL")


class DecoderPool:
    def __init__(self):
        self.idle = []

    def take(self):
        return self.idle.pop() if self.idle else Decoder(samprate=SAMPLE_RATE)

    def give_back(self, decoder):
        if len(self.idle) < IDLE_DECODERS_KEPT:
            self.idle.append(decoder)


class Stream:
    def __init__(self, stream_id, pool):
        self.id = stream_id
        self.pool = pool
        self.endpointer = Endpointer(window=0.3, ratio=0.9, sample_rate=SAMPLE_RATE)
        self.pending = b""
        self.decoder = None
        self.last_partial = ""
        self.since_partial = 0

    def audio(self, data):
        self.pending += data
        size = self.endpointer.frame_bytes
        while len(self.pending) >= size:
            frame, self.pending = self.pending[:size], self.pending[size:]
            was_in_speech = self.endpointer.in_speech
            speech = self.endpointer.process(frame)
            if speech is not None:
                if not was_in_speech:
                    self.begin()
                self.decoder.process_raw(speech, False, False)
                self.since_partial += len(speech)
                if self.endpointer.in_speech:
                    self.partial()
                else:
                    self.finish()

    def begin(self):
        self.decoder = self.pool.take()
        self.decoder.start_utt()
        self.last_partial = ""
        self.since_partial = 0

    def partial(self):
        if self.since_partial < PARTIAL_EVERY_BYTES:
            return
        self.since_partial = 0
        hyp = self.decoder.hyp()
        text = hyp.hypstr.strip() if hyp is not None else ""
        if text and text != self.last_partial:
            self.last_partial = text
            emit(self.id, "partial", text)

    def finish(self):
        decoder, self.decoder = self.decoder, None
        decoder.end_utt()
        hyp = decoder.hyp()
        self.pool.give_back(decoder)
        text = hyp.hypstr.strip() if hyp is not None else ""
        if text:
            emit(self.id, "final", text)

    def close(self):
        if self.decoder is not None:
            if self.pending:
                speech = self.endpointer.end_stream(self.pending)
                if speech is not None:
                    self.decoder.process_raw(speech, False, False)
            self.finish()
        emit(self.id, "end")


def main():
    source = sys.stdin.buffer
    pool = DecoderPool()
    # One decoder up front: the first caller should not wait for the model to load.
    pool.give_back(pool.take())
    emit(0, "ready")
    streams = {}
    for kind, stream_id, payload in frames(source):
        if kind == OPEN:
            streams[stream_id] = Stream(stream_id, pool)
        elif kind == AUDIO:
            stream = streams.get(stream_id)
            if stream is not None:
                stream.audio(payload)
        elif kind == CLOSE:
            stream = streams.pop(stream_id, None)
            if stream is not None:
                stream.close()


if __name__ == "__main__":
    try:
        main()
    except (BrokenPipeError, KeyboardInterrupt):
        os._exit(0)
