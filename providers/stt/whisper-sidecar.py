"""Whisper recognition for many live streams in one process.

Started by providers/stt/whisper-stt.ts with PYTHONPATH pointing at ctranslate2,
numpy and tokenizers (installed by whisper-install.ts) and, when present, the
pocketsphinx wheel (for its WebRTC VAD), and WHISPER_MODEL_DIR at a CTranslate2
Whisper model. No key and no network are needed.

Wire format, the same as pocketsphinx-sidecar.py:
stdin, binary frames: u8 kind, u32 stream id, u32 payload length (little endian),
payload. Kinds: 1 open, 2 audio (16 kHz mono PCM16), 3 close.
stdout, one JSON object a line: {"id", "type": "ready"|"partial"|"final"|"end", "text"}.
"end" is the last line of a stream, after its closing final.

Why it is shaped like this:
- One model, one decode thread, shared by every stream: memory is one model
  (~260 MB tiny.en, ~360 MB base) whatever the number of calls. ctranslate2 releases
  the GIL, so the reader thread keeps endpointing while a decode runs.
- Whisper is not streaming: each result is a decode of the whole utterance so far.
  The encoder is run on the utterance plus a short zero tail, not Whisper's fixed
  30 s window, which is what makes a decode take ~0.1-0.2 s instead of ~1 s.
- Final latency: a decode starts speculatively after a short silence and is emitted
  as the final once the endpointer confirms the end of speech; if the caller
  speaks again first, it is thrown away. Finals go before partials in the queue,
  and a partial is only queued when the decoder is idle.
"""

import collections
import os
import sys
import threading

import ctranslate2
import numpy as np
import tokenizers

from sidecar_frames import AUDIO, CLOSE, OPEN, emit, frames

SAMPLE_RATE = 16000
BYTES_PER_MS = SAMPLE_RATE * 2 // 1000

FRAME_MS = 30
SPEECH_START_FRAMES = 3
SPECULATE_AFTER_MS = int(os.environ.get("WHISPER_SPECULATE_MS", "90"))
END_AFTER_MS = int(os.environ.get("WHISPER_END_SILENCE_MS", "240"))
PRE_ROLL_MS = 300
PARTIAL_EVERY_MS = 1000
# Bounded memory and decode time: a longer utterance is cut into finals of this length.
MAX_UTTERANCE_MS = 25_000
TAIL_PADDING_S = float(os.environ.get("WHISPER_TAIL_PADDING_S", "2"))
NO_SPEECH_MAX = 0.6
REPETITION_PENALTY = float(os.environ.get("WHISPER_REPETITION_PENALTY", "1.0"))
# Beam search for finals: 5 cuts the word errors by about a third (bench/speech-accuracy:
# 16.2% -> 10.4% at 16 kHz, 32.9% -> 29.5% at 8 kHz) but puts the final at ~550-600 ms
# p50 after the end of speech on 2 cores instead of ~370 ms. Greedy (1) by default: the
# turn's latency budget is the tighter one.
BEAM_SIZE = int(os.environ.get("WHISPER_BEAM_SIZE", "1"))
# Text the decoder sees as what came before the utterance (Whisper's "previous text"):
# a call's opening line sets the register (a caller speaking to an agent: names, numbers,
# short requests) and cuts errors on unclear words. It must never hold expected answers.
PROMPT = os.environ.get("WHISPER_PROMPT", "Hello, thank you for calling. How can I help you today?")
# Band-limited audio (phone: nothing above ~4 kHz) gets this much white noise (RMS, full
# scale 1) before the features; 0 turns it off. See Recogniser.transcribe.
NARROWBAND_DITHER = float(os.environ.get("WHISPER_NARROWBAND_DITHER", "0.001"))
NARROWBAND_MAX_HIGH_BAND = 1e-4
# 0 (loose) … 3 (strict): a stricter WebRTC VAD holds "speech" for fewer frames after it ends.
VAD_MODE = int(os.environ.get("WHISPER_VAD_MODE", "3"))

lock = threading.RLock()


def mel_filters(n_fft, n_mels):
    """Slaney-scale triangular filters, as Whisper (and librosa) compute them."""
    fft_freqs = np.fft.rfftfreq(n=n_fft, d=1.0 / SAMPLE_RATE)
    mels = np.linspace(0.0, 45.245640471924965, n_mels + 2)
    f_sp = 200.0 / 3
    freqs = f_sp * mels
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    log_step = np.log(6.4) / 27.0
    log_t = mels >= min_log_mel
    freqs[log_t] = min_log_hz * np.exp(log_step * (mels[log_t] - min_log_mel))
    diff = np.diff(freqs)
    ramps = np.subtract.outer(freqs, fft_freqs)
    lower = -ramps[:-2] / diff[:-1, np.newaxis]
    upper = ramps[2:] / diff[1:, np.newaxis]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (freqs[2 : n_mels + 2] - freqs[:n_mels]))[:, np.newaxis]
    return weights.astype(np.float32)


class LogMel:
    """Whisper's input features: 25 ms Hann STFT every 10 ms, 80 mel bins, clamped log10."""

    N_FFT, HOP = 400, 160

    def __init__(self, n_mels=80):
        self.filters = mel_filters(self.N_FFT, n_mels)
        self.window = np.hanning(self.N_FFT + 1)[:-1].astype(np.float32)

    def __call__(self, audio):
        padded = np.pad(audio, self.N_FFT // 2, mode="reflect")
        count = 1 + (len(padded) - self.N_FFT) // self.HOP
        frames = np.lib.stride_tricks.as_strided(
            padded, shape=(count, self.N_FFT), strides=(padded.strides[0] * self.HOP, padded.strides[0])
        )
        power = np.abs(np.fft.rfft(frames * self.window, axis=1)[:-1]) ** 2
        mel = self.filters @ power.T.astype(np.float32)
        log = np.log10(np.maximum(mel, 1e-10))
        log = np.maximum(log, log.max() - 8.0)
        return (log + 4.0) / 4.0


class Recogniser:
    def __init__(self, model_dir, threads):
        self.model = ctranslate2.models.Whisper(model_dir, device="cpu", compute_type="int8", intra_threads=threads, inter_threads=1)
        self.tokenizer = tokenizers.Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.mel = LogMel()
        token = self.tokenizer.token_to_id
        self.end_of_text = token("<|endoftext|>")
        prompt = ["<|startoftranscript|>"]
        if self.model.is_multilingual:
            prompt += ["<|en|>", "<|transcribe|>"]
        prompt.append("<|notimestamps|>")
        self.prompt = [token(name) for name in prompt]
        if PROMPT:
            previous = self.tokenizer.encode(" " + PROMPT.strip(), add_special_tokens=False).ids
            self.prompt = [token("<|startofprev|>"), *previous, *self.prompt]
        self.noise = np.random.default_rng(0).standard_normal(MAX_UTTERANCE_MS * SAMPLE_RATE // 1000 + SAMPLE_RATE).astype(np.float32)

    def transcribe(self, pcm, beam_size=BEAM_SIZE):
        audio = np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0
        if NARROWBAND_DITHER > 0 and narrowband(audio):
            # Phone audio's empty upper band sits at the features' floor, which the model
            # reads badly; a faint noise floor across the band cut errors by about a sixth
            # on 8 kHz µ-law (bench/speech-accuracy), and costs nothing on wideband audio,
            # which never gets it.
            audio = audio + NARROWBAND_DITHER * self.noise[: len(audio)]
        audio = np.concatenate([audio, np.zeros(int(TAIL_PADDING_S * SAMPLE_RATE), dtype=np.float32)])
        features = self.mel(audio)
        # The encoder halves the frames and holds at most 1500 positions (30 s).
        frames = min(features.shape[1] - features.shape[1] % 2, 3000)
        features = np.ascontiguousarray(features[np.newaxis, :, :frames], dtype=np.float32)
        seconds = len(pcm) / (2 * SAMPLE_RATE)
        result = self.model.generate(
            ctranslate2.StorageView.from_array(features),
            [self.prompt],
            beam_size=beam_size,
            max_length=len(self.prompt) + int(4 * seconds) + 12,
            no_repeat_ngram_size=3,
            return_no_speech_prob=True,
            suppress_blank=True,
            repetition_penalty=REPETITION_PENALTY,
        )[0]
        if result.no_speech_prob > NO_SPEECH_MAX:
            return ""
        ids = [i for i in result.sequences_ids[0] if i < self.end_of_text]
        return without_restart(without_repeated_tail(self.tokenizer.decode(ids).strip()))


def narrowband(audio):
    """True for audio with (next to) no energy above 4 kHz: 8 kHz phone audio upsampled."""
    if len(audio) < 512:
        return False
    power = np.abs(np.fft.rfft(audio)) ** 2
    total = float(power.sum())
    return total > 0 and float(power[len(power) // 2 :].sum()) / total < NARROWBAND_MAX_HIGH_BAND


def plain_words(text):
    return ["".join(c for c in w.lower() if c.isalnum()) for w in text.split()]


def without_restart(text):
    """Drops a last sentence that starts the utterance over ("Can we move the delivery?
    Can we"): the other shape of that loop. Two sentences that merely begin alike
    ("I need help. I lost my card") are kept: the first two words must match."""
    cut = max(text.rfind(mark + " ") for mark in ".?!")
    if cut <= 0:
        return text
    head, tail = plain_words(text[: cut + 1]), plain_words(text[cut + 1 :])
    if not tail:
        return text
    n = min(2, len(tail))
    return text[: cut + 1] if len(head) > n and tail[:n] == head[:n] else text


def without_repeated_tail(text, min_words=3):
    """Drops a tail that says again words from earlier in the utterance ("…mobile phone. Please
    call me"): Whisper's typical loop when the audio ends before its window does."""
    words = text.split()
    plain = plain_words(text)
    for start in range(min_words, len(words) - min_words + 1):
        tail = plain[start:]
        if len(tail) < min_words:
            break
        for earlier in range(0, start - len(tail) + 1):
            if plain[earlier : earlier + len(tail)] == tail:
                return " ".join(words[:start]).rstrip(",;")
    return text


class Job:
    def __init__(self, stream, kind, pcm=b"", generation=0):
        self.stream = stream
        self.kind = kind
        self.pcm = pcm
        self.generation = generation
        self.stale = False
        self.confirmed = False
        self.done = False
        self.text = ""


class DecodeQueue(threading.Thread):
    """The one decode thread: finals (and stream ends, in order) before partials."""

    def __init__(self, recogniser):
        super().__init__(daemon=True)
        self.recogniser = recogniser
        self.finals = collections.deque()
        self.partials = collections.deque()
        self.ready = threading.Condition(lock)
        self.busy = False

    @property
    def idle(self):
        return not self.busy and not self.finals and not self.partials

    def submit(self, job):
        with lock:
            (self.partials if job.kind == "partial" else self.finals).append(job)
            self.ready.notify()

    def run(self):
        while True:
            with lock:
                while not self.finals and not self.partials:
                    self.ready.wait()
                job = (self.finals or self.partials).popleft()
                skip = job.stale or (job.kind == "partial" and not job.stream.wants_partial(job))
                self.busy = job.kind != "end" and not skip
            if self.busy:
                # A partial is greedy: it is shown and then replaced, and a shorter decode
                # in flight when the caller stops holds up the final less.
                job.text = self.recogniser.transcribe(job.pcm, 1 if job.kind == "partial" else BEAM_SIZE)
            with lock:
                self.busy = False
                if not skip:
                    job.stream.decoded(job)


class Vad:
    """WebRTC's VAD from the pocketsphinx wheel when it is there, else frame energy."""

    def __init__(self):
        try:
            from pocketsphinx import Vad as WebRtcVad

            self.webrtc = WebRtcVad(VAD_MODE, SAMPLE_RATE, FRAME_MS / 1000)
        except ImportError:
            self.webrtc = None
        self.frame_bytes = FRAME_MS * BYTES_PER_MS

    def is_speech(self, frame):
        if self.webrtc is not None:
            return self.webrtc.is_speech(frame)
        samples = np.frombuffer(frame, dtype=np.int16).astype(np.float32)
        return float(np.sqrt(np.mean(samples * samples))) > 400.0


class Stream:
    def __init__(self, stream_id, queue):
        self.id = stream_id
        self.queue = queue
        self.vad = Vad()
        self.pending = b""
        self.pre_roll = collections.deque(maxlen=PRE_ROLL_MS // FRAME_MS)
        self.speech_run = 0
        self.utterance = None
        self.generation = 0
        self.silence_ms = 0
        self.speculative = None
        self.partial_at = 0
        self.last_partial = ""
        self.closed = False

    def audio(self, data):
        self.pending += data
        size = self.vad.frame_bytes
        while len(self.pending) >= size:
            frame, self.pending = self.pending[:size], self.pending[size:]
            self.frame(frame, self.vad.is_speech(frame))

    def frame(self, frame, speech):
        if self.utterance is None:
            self.pre_roll.append(frame)
            self.speech_run = self.speech_run + 1 if speech else 0
            if self.speech_run >= SPEECH_START_FRAMES:
                self.begin()
            return
        self.utterance += frame
        if speech:
            self.silence_ms = 0
            if self.speculative is not None:
                self.speculative.stale = True
                self.speculative = None
            self.maybe_partial()
        else:
            self.silence_ms += FRAME_MS
            if self.silence_ms >= SPECULATE_AFTER_MS and self.speculative is None:
                self.speculate()
            if self.silence_ms >= END_AFTER_MS:
                self.finish()
                return
        if len(self.utterance) >= MAX_UTTERANCE_MS * BYTES_PER_MS:
            if self.speculative is None:
                self.speculate()
            self.finish()

    def begin(self):
        self.utterance = bytearray(b"".join(self.pre_roll))
        self.pre_roll.clear()
        self.speech_run = 0
        self.generation += 1
        self.silence_ms = 0
        self.speculative = None
        self.partial_at = len(self.utterance)
        self.last_partial = ""

    def maybe_partial(self):
        if len(self.utterance) - self.partial_at < PARTIAL_EVERY_MS * BYTES_PER_MS or not self.queue.idle:
            return
        self.partial_at = len(self.utterance)
        self.queue.submit(Job(self, "partial", bytes(self.utterance), self.generation))

    def speculate(self):
        self.speculative = Job(self, "final", bytes(self.utterance), self.generation)
        self.queue.submit(self.speculative)

    def finish(self):
        job, self.speculative = self.speculative, None
        self.utterance = None
        job.confirmed = True
        if job.done:
            self.decoded(job)

    def wants_partial(self, job):
        return not self.closed and self.utterance is not None and job.generation == self.generation

    def decoded(self, job):
        if job.kind == "end":
            emit(self.id, "end")
        elif job.kind == "partial":
            if self.wants_partial(job) and job.text and job.text != self.last_partial:
                self.last_partial = job.text
                emit(self.id, "partial", job.text)
        else:
            job.done = True
            if job.confirmed and not job.stale and job.text:
                emit(self.id, "final", job.text)

    def close(self):
        self.closed = True
        if self.utterance is not None:
            if self.speculative is None:
                self.speculate()
            self.finish()
        self.queue.submit(Job(self, "end"))


def main():
    recogniser = Recogniser(os.environ["WHISPER_MODEL_DIR"], int(os.environ.get("WHISPER_THREADS", "2")))
    # A first decode up front: the first caller should not pay for warming the model.
    recogniser.transcribe(bytes(SAMPLE_RATE))
    queue = DecodeQueue(recogniser)
    queue.start()
    emit(0, "ready")
    source = sys.stdin.buffer
    streams = {}
    for kind, stream_id, payload in frames(source):
        with lock:
            if kind == OPEN:
                streams[stream_id] = Stream(stream_id, queue)
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
