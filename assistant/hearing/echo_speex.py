"""Xiph's speexdsp echo canceller, through the system's `libspeexdsp` (Debian `libspeexdsp1`).

Chosen over WebRTC's AEC3 because of what comes after it. AEC3's suppressor gates the pump
along with the echo while the coach talks, so the pump's cycle, which the endpointer and the
cleaner learn and subtract, is chopped up: over a cue they heard almost nothing of hers.
Speex's filter is linear: it takes out the echo and leaves the pump as it was. What it
misses is left to the endpointer (echo_floor.py). Speex's own residual echo suppressor is not
used: it changes the pump's sound under her words, and the cleaner, which learnt the pump
without it, then takes her words apart. The filter learns the room over the first seconds
of the coach's voice, and one instance follows the microphone for the whole session.
"""

from __future__ import annotations

import ctypes
import ctypes.util

import numpy as np

from assistant.audio.pcm import FRAME_SAMPLES, SAMPLE_RATE, Samples
from assistant.errors import PumpCoachError

TAIL_S = 0.3
"""The longest echo the filter models: the speaker's delay plus the room's reverberation."""
_SET_SAMPLING_RATE = 24  # SPEEX_ECHO_SET_SAMPLING_RATE


class EchoError(PumpCoachError):
    """No echo canceller can run here."""


def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("speexdsp") or "libspeexdsp.so.1"
    try:
        lib = ctypes.CDLL(name)
    except OSError as error:
        msg = "The echo canceller needs libspeexdsp (Debian: apt-get install libspeexdsp1)."
        raise EchoError(msg) from error
    pointer, number = ctypes.c_void_p, ctypes.c_int
    lib.speex_echo_state_init.restype = pointer
    lib.speex_echo_state_init.argtypes = [number, number]
    lib.speex_echo_ctl.argtypes = [pointer, number, pointer]
    lib.speex_echo_cancellation.argtypes = [pointer, pointer, pointer, pointer]
    lib.speex_echo_state_destroy.argtypes = [pointer]
    return lib


class SpeexEchoCanceller:
    """An EchoCanceller, for 20 ms frames at 16 kHz."""

    def __init__(self, tail_s: float = TAIL_S) -> None:
        self._lib = _library()
        self._echo = self._lib.speex_echo_state_init(FRAME_SAMPLES, round(tail_s * SAMPLE_RATE))
        rate = ctypes.c_int(SAMPLE_RATE)
        self._lib.speex_echo_ctl(self._echo, _SET_SAMPLING_RATE, ctypes.byref(rate))

    def cancel(self, heard: Samples, played: Samples) -> Samples:
        if len(heard) != FRAME_SAMPLES or len(played) != FRAME_SAMPLES:
            msg = f"The echo canceller takes frames of {FRAME_SAMPLES} samples."
            raise ValueError(msg)
        mic = np.ascontiguousarray(heard, dtype=np.int16)
        reference = np.ascontiguousarray(played, dtype=np.int16)
        out = np.empty(FRAME_SAMPLES, dtype=np.int16)
        self._lib.speex_echo_cancellation(
            self._echo, mic.ctypes.data, reference.ctypes.data, out.ctypes.data
        )
        return out

    def __del__(self) -> None:
        lib = getattr(self, "_lib", None)
        if lib is not None:
            lib.speex_echo_state_destroy(self._echo)
