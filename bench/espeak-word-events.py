"""espeak-ng's own word events (libespeak-ng through ctypes): the reference the word-timing
estimate is measured against. Prints one JSON line per sentence: samples and each word's
start in ms and its character offset. Usage: espeak-word-events.py VOICE WPM SENTENCE..."""
import ctypes
import json
import sys


class Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    ]


WORD, END_OF_LIST = 1, 0
lib = ctypes.CDLL("libespeak-ng.so.1")
rate = lib.espeak_Initialize(2, 0, None, 0)  # AUDIO_OUTPUT_SYNCHRONOUS
lib.espeak_SetVoiceByName(sys.argv[1].encode())
lib.espeak_SetParameter(1, int(sys.argv[2]), 0)  # espeakRATE
state = {"samples": 0, "words": []}
CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(Event))


def on_audio(_wav, count, events):
    state["samples"] += count
    i = 0
    while events[i].type != END_OF_LIST:
        if events[i].type == WORD:
            state["words"].append({"startMs": events[i].audio_position, "sample": events[i].sample, "textPosition": events[i].text_position - 1, "length": events[i].length})
        i += 1
    return 0


callback = CALLBACK(on_audio)
lib.espeak_SetSynthCallback(callback)
for sentence in sys.argv[3:]:
    state = {"samples": 0, "words": []}
    text = sentence.encode() + b"\0"
    lib.espeak_Synth(text, len(text), 0, 1, 0, 0x1000, None, None)  # espeakENDPAUSE, as the CLI
    lib.espeak_Synchronize()
    print(json.dumps({"text": sentence, "sampleRate": rate, "samples": state["samples"], "words": state["words"]}))
