"""The wire format of the speech sidecars (pocketsphinx-sidecar.py, whisper-sidecar.py).

stdin, binary frames: u8 kind, u32 stream id, u32 payload length (little endian),
payload. Kinds: 1 open, 2 audio (16 kHz mono PCM16), 3 close.
stdout, one JSON object a line: {"id", "type", "text"}.
"""

import json
import struct
import sys

OPEN, AUDIO, CLOSE = 1, 2, 3
HEADER = struct.Struct("<BII")
_out = sys.stdout


def emit(stream_id, kind, text=""):
    _out.write(json.dumps({"id": stream_id, "type": kind, "text": text}) + "\n")
    _out.flush()


def _read_exactly(source, size):
    data = b""
    while len(data) < size:
        chunk = source.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def frames(source):
    """(kind, stream id, payload) for each frame, until stdin closes."""
    while True:
        header = _read_exactly(source, HEADER.size)
        if header is None:
            return
        kind, stream_id, length = HEADER.unpack(header)
        payload = _read_exactly(source, length) if length else b""
        if payload is None:
            return
        yield kind, stream_id, payload
